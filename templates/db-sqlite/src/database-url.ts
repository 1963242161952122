/** What DATABASE_URL must look like for the database this project was generated for (the settings check). */
export const DATABASE_URL_PATTERN = /^file:./;
export const DATABASE_URL_RULE = 'must be a file: URL (file:./dev.db): this project was generated for SQLite';
