DROP INDEX articles_visibility;
