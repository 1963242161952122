/** What DATABASE_URL must look like for the database this project was generated for (the settings check). */
export const DATABASE_URL_PATTERN = /^(mysql|mariadb):\/\/./;
export const DATABASE_URL_RULE = 'must be a mysql:// URL: this project was generated for MySQL / MariaDB';
