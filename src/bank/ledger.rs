//! Transactions of a simulated account, generated day by day from the keyed PRNG. A day's
//! transactions depend only on (seed, connector, login, account, day), so a sync at any time,
//! in any order, sees the same ledger; "now" only decides which of them have happened yet.

use crate::bank::accounts::BankAccount;
use crate::bank::transfers;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

pub use crate::bank::day::{BankTx, Counterparty, Ctx};
pub use crate::bank::transfers::epoch;

/// Every transaction of `account` whose order date is `day`, in a stable order: its own
/// events, then the transfers with the login's other accounts.
pub fn day(ctx: &Ctx, account: &BankAccount, day: NaiveDate) -> Vec<BankTx> {
    let mut d = transfers::linked(ctx, account, day);
    transfers::sweep(ctx, &mut d);
    d.out
}

/// Transactions that happened in `[from, to]` (order date and time), in a stable order.
pub fn between(
    ctx: &Ctx,
    account: &BankAccount,
    from: NaiveDate,
    to: NaiveDateTime,
) -> Vec<BankTx> {
    if from > to.date() {
        return vec![];
    }
    from.iter_days()
        .take_while(|x| *x <= to.date())
        .flat_map(|x| day(ctx, account, x))
        .filter(|t| t.happened_at() <= to)
        .collect()
}

/// The balance the bank shows at `now` and the total still coming.
pub fn balance(ctx: &Ctx, account: &BankAccount, now: NaiveDateTime) -> (Decimal, Decimal) {
    if let Some(l) = &account.loan {
        // A loan shows the capital still due after the instalments paid so far.
        return (-l.remaining_at(now.date()), Decimal::ZERO);
    }
    let start = epoch().max(account.opening_date);
    let today = now.date();
    let mut booked = account.base_balance;
    let mut coming = Decimal::ZERO;
    for t in between(ctx, account, start, now) {
        if t.date <= today {
            booked += t.value;
        } else {
            coming += t.value;
        }
    }
    if account.kind == "card" {
        // A deferred card books nothing itself (checking pays the monthly summary): its
        // balance is zero and what will be debited at the end of the month is coming.
        return (Decimal::ZERO, coming);
    }
    (booked, coming)
}
