//! Row ids taken from a table's sequence before the rows are written, so what is derived from
//! an id (a file name, a Message-ID, a document's link) is written with the row itself.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

#[derive(QueryableByName)]
struct NextId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// `count` fresh ids of `table`'s `id` column, in the order the sequence gave them.
pub fn reserve_ids(conn: &mut PgConnection, table: &str, count: usize) -> QueryResult<Vec<i64>> {
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let ids = diesel::sql_query(
        "SELECT nextval(pg_get_serial_sequence($1, 'id')) AS id FROM generate_series(1, $2)",
    )
    .bind::<Text, _>(table)
    .bind::<BigInt, _>(count)
    .load::<NextId>(conn)?;
    Ok(ids.into_iter().map(|r| r.id).collect())
}
