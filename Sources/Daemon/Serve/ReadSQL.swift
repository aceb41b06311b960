import Commands
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import Projections
import Prometheus

/// The read endpoints' SQL: each returns rows as JSON text.
enum ReadSQL {
    static let couponBalance = "SELECT to_jsonb(b)::text FROM projections.coupon_balance b WHERE trade_reg_no = $1"
    static let couponHistory = """
        SELECT to_jsonb(h)::text FROM projections.coupon_history h WHERE trade_reg_no = $1 ORDER BY occurred_at DESC
        """
    static let order = "SELECT to_jsonb(o)::text FROM projections.coupon_order o WHERE order_no = $1"
    static let application = "SELECT to_jsonb(a)::text FROM projections.application_status a WHERE reception_no = $1"
    static let statements = """
        SELECT to_jsonb(s)::text FROM projections.credit_statement s
         WHERE payer_user_id = $1 AND ($2::text IS NULL OR settlement_month = $2)
         ORDER BY settlement_date DESC, reception_no DESC
        """
    /// True when no event of the projection's types up to the event at position $3 is unapplied.
    static let caughtUp = """
        SELECT NOT EXISTS (
            SELECT FROM ledger.events e, ledger.events target, ledger.projection_checkpoints c
             WHERE target.global_position = $3 AND c.projection = $1 AND e.event_type = ANY ($2::text[])
               AND (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
               AND (e.transaction_id, e.global_position) <= (target.transaction_id, target.global_position))
          AND EXISTS (SELECT FROM ledger.projection_checkpoints WHERE projection = $1)
        """
}
