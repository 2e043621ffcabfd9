-- Every statement that changes the Resource table notifies the channel gatehouse_resource_changed,
-- at commit, whoever the writer: each instance's API cache forgets every API at once
-- (src/oidc/resource-cache.ts, heard by src/oidc/cache-change-notifications.ts on the client
-- cache's connection). Not part of the data model (Prisma keeps no triggers), so only this history
-- holds it; SQLite needs none (the caches there watch the file's data version).
-- One trigger per statement, not per row, and no payload: APIs are few and change rarely, and a
-- statement that changed no row costs a notification nobody acts on.

-- CreateFunction
CREATE FUNCTION "gatehouse_resource_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gatehouse_resource_changed', '');
  RETURN NULL;
END;
$$;

-- CreateTrigger
CREATE TRIGGER "Resource_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Resource"
  FOR EACH STATEMENT EXECUTE FUNCTION "gatehouse_resource_changed"();
