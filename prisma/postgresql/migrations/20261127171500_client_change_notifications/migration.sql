-- Every change to a Client record notifies the channel gatehouse_client_changed with the client's
-- id, at commit, whoever the writer: each instance's client cache forgets it at once
-- (src/oidc/client-change-notifications.ts). Not part of the data model (Prisma keeps no triggers),
-- so only this history holds it; SQLite needs none (the cache there watches the file's data version).
-- Three triggers rather than one, each with its own WHEN: a condition cannot name OLD on INSERT or
-- NEW on DELETE, and one evaluated here costs no function call for the token rows that fill this table.

-- CreateFunction
CREATE FUNCTION "gatehouse_client_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('gatehouse_client_changed', '');
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('gatehouse_client_changed', NEW."id");
  ELSIF TG_OP = 'DELETE' OR OLD."id" = NEW."id" THEN
    PERFORM pg_notify('gatehouse_client_changed', OLD."id");
  ELSE
    -- An id rewritten in place: forget every client rather than name only one of the two.
    PERFORM pg_notify('gatehouse_client_changed', '');
  END IF;
  RETURN NULL;
END;
$$;

-- CreateTrigger
CREATE TRIGGER "OidcRecord_client_inserted" AFTER INSERT ON "OidcRecord"
  FOR EACH ROW WHEN (NEW."model" = 'Client') EXECUTE FUNCTION "gatehouse_client_changed"();
CREATE TRIGGER "OidcRecord_client_updated" AFTER UPDATE ON "OidcRecord"
  FOR EACH ROW WHEN (OLD."model" = 'Client' OR NEW."model" = 'Client') EXECUTE FUNCTION "gatehouse_client_changed"();
CREATE TRIGGER "OidcRecord_client_deleted" AFTER DELETE ON "OidcRecord"
  FOR EACH ROW WHEN (OLD."model" = 'Client') EXECUTE FUNCTION "gatehouse_client_changed"();
CREATE TRIGGER "OidcRecord_truncated" AFTER TRUNCATE ON "OidcRecord"
  FOR EACH STATEMENT EXECUTE FUNCTION "gatehouse_client_changed"();
