/**
 * Where the management API is served, on the public listener. A module of its own: the start-up
 * code that mounts the API and shapes its errors needs the path, not the API, which loads with
 * its first request (src/http/lazy-router.ts).
 */
export const ADMIN_API_BASE = '/admin/api/v1';
