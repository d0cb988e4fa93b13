-- Untimed setup of the throwaway PostgreSQL cluster: French stemming + unaccent, and the table.
CREATE EXTENSION unaccent;
CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION fr_unaccent
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TABLE docs (
  id    text PRIMARY KEY,
  title text,
  body  text,
  tsv   tsvector GENERATED ALWAYS AS
          (to_tsvector('fr_unaccent', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED
);
