export { startEphemeralServer as startTestServer, type EphemeralServer as TestServer } from '@capstan/server';
