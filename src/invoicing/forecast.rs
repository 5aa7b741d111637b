//! The numbers a batch worker's next chunk will get, known before it locks the counter.
//!
//! Gapless numbers are reserved under the counter's row lock, held until the chunk commits, so
//! whatever needs a number runs one chunk at a time. A PDF needs its number, and rendering is
//! the largest cost of a chunk. The workers of one run therefore take turns in a fixed order:
//! each chunk takes a ticket when its drafts are ready, which tells it the numbers it will get
//! if every chunk ahead of it commits, renders its documents with them while the chunk ahead
//! holds the counter, and reserves its numbers only when its turn comes. A forecast can be
//! wrong (a chunk ahead rolled back, another process or the web issued an invoice meanwhile):
//! the chunk compares the numbers it got and renders again the documents that differ, inside
//! the lock as before. So a wrong forecast costs time, never a wrong document.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::numbering::Series;

/// How long a turn waits for the chunks ahead of it to reserve their numbers. They do so after
/// rendering, which never blocks, so this bounds only a stuck worker; after it, the chunk locks
/// the counter anyway and its forecast is probably wrong.
const TURN_WAIT: Duration = Duration::from_secs(30);

/// The counter of one series and year, as the run's workers see it.
#[derive(Debug, Default)]
struct Counter {
    /// The next number after the last reservation made in this process, or as read from the
    /// counter when nothing was reserved or waiting; `None` after a chunk gave up.
    next: Option<i64>,
    /// Tickets waiting for their turn to reserve, oldest first, with how many numbers each
    /// will take.
    waiting: VecDeque<(u64, i64)>,
}

#[derive(Debug, Default)]
struct State {
    counters: BTreeMap<(Series, i32), Counter>,
    tickets: u64,
}

/// Shared by the workers of one run.
#[derive(Debug, Default)]
pub struct NumberForecast {
    state: Mutex<State>,
    turn_over: Condvar,
}

/// A chunk's place in the order of reservations.
pub struct Turn<'a> {
    forecast: &'a NumberForecast,
    key: (Series, i32),
    ticket: u64,
    /// The first number the chunk gets if every chunk ahead commits.
    pub first: Option<i64>,
    done: bool,
}

impl NumberForecast {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A turn for `count` numbers of `series` in `year`. `counter` is the counter's next number
    /// as read without locking it; it counts only when no reservation of this process says
    /// more.
    pub fn turn(&self, series: Series, year: i32, count: i64, counter: i64) -> Turn<'_> {
        let mut state = self.state();
        state.tickets += 1;
        let ticket = state.tickets;
        let entry = state.counters.entry((series, year)).or_default();
        let ahead: i64 = entry.waiting.iter().map(|(_, count)| count).sum();
        let base = match entry.next {
            Some(next) => Some(next),
            None if entry.waiting.is_empty() => Some(counter),
            None => None,
        };
        if entry.next.is_none() && entry.waiting.is_empty() {
            entry.next = base;
        }
        entry.waiting.push_back((ticket, count));
        Turn { forecast: self, key: (series, year), ticket, first: base.map(|b| b + ahead), done: false }
    }
}

impl Turn<'_> {
    /// Waits until every chunk that took a ticket before this one has reserved its numbers or
    /// given up (at most [`TURN_WAIT`]).
    pub fn wait(&self) {
        let deadline = Instant::now() + TURN_WAIT;
        let mut state = self.forecast.state();
        loop {
            let first_waiting =
                state.counters.get(&self.key).and_then(|c| c.waiting.front()).map(|(t, _)| *t);
            let now = Instant::now();
            if first_waiting.is_none_or(|t| t == self.ticket) || now >= deadline {
                return;
            }
            state = match self.forecast.turn_over.wait_timeout(state, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// The chunk reserved `count` numbers from `first`: the chunks behind it are next.
    pub fn reserved(mut self, first: i64, count: i64) {
        self.leave(Some(first + count));
    }

    fn leave(&mut self, next: Option<i64>) {
        if self.done {
            return;
        }
        self.done = true;
        let mut state = self.forecast.state();
        if let Some(counter) = state.counters.get_mut(&self.key) {
            counter.waiting.retain(|(ticket, _)| *ticket != self.ticket);
            match next {
                Some(next) => counter.next = Some(next),
                // A chunk that gives up takes no numbers, so whoever forecast behind it is
                // wrong by its count: forget, and let the next reservation say again.
                None => counter.next = None,
            }
        }
        drop(state);
        self.forecast.turn_over.notify_all();
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.leave(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_behind_each_other_are_told_the_numbers_after_the_ones_ahead() {
        let forecast = NumberForecast::default();
        let a = forecast.turn(Series::Invoice, 2026, 500, 1);
        let b = forecast.turn(Series::Invoice, 2026, 300, 99);
        assert_eq!((a.first, b.first), (Some(1), Some(501)));
        a.reserved(1, 500);
        let c = forecast.turn(Series::Invoice, 2026, 10, 1);
        assert_eq!(c.first, Some(801));
        // Another series or year has its own counter.
        let credit_notes = forecast.turn(Series::CreditNote, 2026, 1, 7);
        let next_year = forecast.turn(Series::Invoice, 2027, 1, 1);
        assert_eq!((credit_notes.first, next_year.first), (Some(7), Some(1)));
        drop(b);
        drop(c);
    }

    #[test]
    fn what_others_took_meanwhile_corrects_the_next_forecasts() {
        let forecast = NumberForecast::default();
        let a = forecast.turn(Series::Invoice, 2026, 5, 1);
        // Someone else issued 3 invoices: the chunk got 4..=8, not 1..=5.
        a.reserved(4, 5);
        assert_eq!(forecast.turn(Series::Invoice, 2026, 1, 1).first, Some(9));
    }

    #[test]
    fn a_chunk_that_gives_up_leaves_no_forecast_behind_it() {
        let forecast = NumberForecast::default();
        let a = forecast.turn(Series::Invoice, 2026, 5, 1);
        let b = forecast.turn(Series::Invoice, 2026, 5, 1);
        assert_eq!(b.first, Some(6));
        drop(a);
        // b's forecast is now wrong (it will get 1): it renders again after reserving. A new
        // chunk behind b knows nothing until b reserves.
        let c = forecast.turn(Series::Invoice, 2026, 5, 1);
        assert_eq!(c.first, None);
        b.reserved(1, 5);
        assert_eq!(forecast.turn(Series::Invoice, 2026, 1, 1).first, Some(6 + 5));
        drop(c);
    }

    #[test]
    fn a_turn_waits_for_the_chunks_ahead() {
        let forecast = NumberForecast::default();
        let order = Mutex::new(Vec::new());
        let a = forecast.turn(Series::Invoice, 2026, 1, 1);
        let b = forecast.turn(Series::Invoice, 2026, 1, 1);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                b.wait();
                order.lock().expect("order").push("b");
                b.reserved(2, 1);
            });
            // b cannot pass a, however long a takes to get here.
            std::thread::sleep(Duration::from_millis(20));
            a.wait();
            order.lock().expect("order").push("a");
            a.reserved(1, 1);
        });
        assert_eq!(*order.lock().expect("order"), ["a", "b"]);
    }
}
