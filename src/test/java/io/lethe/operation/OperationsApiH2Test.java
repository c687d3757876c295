package io.lethe.operation;

/** The operations end to end on the embedded default database. */
class OperationsApiH2Test extends OperationsApiContract {}
