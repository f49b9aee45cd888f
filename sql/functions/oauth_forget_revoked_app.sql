-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.oauth_forget_revoked_app()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  DELETE FROM oauth_payloads WHERE partner_app_id = NEW.id;
  RETURN NULL;
END $function$;
