/**
 * Discovery: reads a host's devices and regions from its backend and records them in the inventory,
 * idempotently, together with whether the host can invalidate its caches.
 */
package io.lethe.discovery;
