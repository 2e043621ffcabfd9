-- Every statement that changes the Connection table notifies the channel
-- gatehouse_connection_changed, at commit, whoever the writer: each instance's cached list of
-- connections (the sign-in page's buttons and home-realm discovery) is forgotten at once
-- (src/connections/connection-list-cache.ts, heard by src/oidc/cache-change-notifications.ts on the
-- client cache's connection). Not part of the data model (Prisma keeps no triggers), so only this
-- history holds it; SQLite needs none (the caches there watch the file's data version).
-- One trigger per statement, not per row, and no payload: the list is cached whole, connections are
-- few and change rarely. Removing a connection deletes its UpstreamIdentity rows (the cascade), which
-- changes no Connection row and needs no trigger of its own.

-- CreateFunction
CREATE FUNCTION "gatehouse_connection_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gatehouse_connection_changed', '');
  RETURN NULL;
END;
$$;

-- CreateTrigger
CREATE TRIGGER "Connection_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Connection"
  FOR EACH STATEMENT EXECUTE FUNCTION "gatehouse_connection_changed"();
