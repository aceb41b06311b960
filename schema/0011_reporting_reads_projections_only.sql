-- 0011: the reporting role reads the projections and nothing else.
--
-- Why: ARCHITECTURE.md (Security) gives reporting "SELECT on projections, with row-level
-- security", and docs/read-models.md says the same, but 0002 also granted it SELECT on
-- ledger.projection_checkpoints, which holds error messages and positions of the event store.
-- Projection lag is on /metrics. (Numbered 0011 to leave 0010 to the append work on main.)
REVOKE SELECT ON ledger.projection_checkpoints FROM ledger_reporting;
