/** A Client OidcRecord as the adapter stores it, with only an id and a name. */
export const clientRecord = (id: string, name: string) => ({
  model: 'Client',
  id,
  payload: JSON.stringify({ client_id: id, client_name: name }),
  grantId: null,
  userCode: null,
  uid: null,
  accountId: null,
  expiresAt: null,
});
