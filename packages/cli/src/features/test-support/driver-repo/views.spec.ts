// Not a definition: files named like tests (.test.ts, .spec.ts) are skipped when a folder is read.
throw new Error('a test file was loaded as a definition');
