-- Erase admission counts the admitted erases still active, across the fleet, at every wave's start.
-- Through ix_operations_state that count read every queued and running operation's row (ten
-- thousand of them at the start of a large batch); led by admitted, it reads only those holding a
-- slot, which max-erases bounds.
create index ix_operations_admitted_state on operations (admitted, state, type);
