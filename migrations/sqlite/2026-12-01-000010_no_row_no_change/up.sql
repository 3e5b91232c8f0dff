-- Nothing to do on SQLite: its triggers fire per changed row, so a statement that changes
-- no row records no change (the PostgreSQL migration of this version makes it so there).
SELECT 1;
