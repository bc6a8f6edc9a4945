/** Encrypted backups of a data directory, taken while the intake runs, and their restore (the file format: format.ts). */
export { createBackup, type BackupSummary, type CreateBackupOptions } from './create-backup';
export { restoreBackup, type RestoreBackupOptions, type RestoreSummary } from './restore-backup';
export { removeAbandonedWorkDirs, WORK_DIR_LOCK } from './work-dirs';
