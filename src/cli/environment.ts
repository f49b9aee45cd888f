/** The settings that choose the database, as every command that opens one explains them in its help. */
export const DATABASE_ENVIRONMENT = {
  DATABASE_URL:
    "postgres:// URL of the database. Unset: the embedded PostgreSQL under DATA_DIR (the running server's, if it runs).",
  DATA_DIR: 'Where the embedded PostgreSQL keeps its data (default ./.data).',
};
