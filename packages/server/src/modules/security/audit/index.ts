export { AuditLog, type AuditEntryInput, type AuditEvent, type AuditExportFilter, type AuditLogOptions, type AuditPage, type AuditQueryFilter, type AuditVerification } from './audit-log.js';
export { canonicalJson, entryHash, GENESIS_HASH, type AuditHashedFields } from './audit-chain.js';
export { auditLogSchema } from './audit-migration.js';
export type { AuditChainHeadTable, AuditEventsTable, AuditOutcome, AuditTables } from './audit-tables.js';
