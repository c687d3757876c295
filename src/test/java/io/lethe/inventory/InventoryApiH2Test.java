package io.lethe.inventory;

/** The inventory API on the embedded default database. */
class InventoryApiH2Test extends InventoryApiContract {}
