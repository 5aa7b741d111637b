//! The connection pool, embedded migrations, and the local cluster behind them.

pub mod launcher;
pub mod locks;
pub mod schema;
pub mod sequence;

use diesel::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use launcher::{ClusterOptions, LauncherError, LocalCluster};

pub type PgPool = Pool<ConnectionManager<PgConnection>>;
pub type PooledPg = PooledConnection<ConnectionManager<PgConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Launcher(#[from] LauncherError),
    #[error("connecting to the database: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("running migrations: {0}")]
    Migration(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Where the database is: an existing one at `url`, or else the local cluster in `data_dir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseOptions {
    pub url: Option<String>,
    pub data_dir: std::path::PathBuf,
    /// The folder holding initdb and pg_ctl; searched for when `None`.
    pub pg_bin_dir: Option<std::path::PathBuf>,
    /// The unprivileged user the local cluster runs as when Kontor is root.
    pub pg_user: String,
    /// Connections per process.
    pub pool_size: u32,
}

/// A pool, and the local cluster it runs on when Kontor started one. The cluster is left
/// (and stopped, if nobody else uses it) when this is dropped.
pub struct Database {
    pub pool: PgPool,
    url: String,
    // Declared after the pool so the pool's connections close before the cluster stops.
    cluster: Option<LocalCluster>,
}

impl Database {
    /// Connects to `DATABASE_URL`, or starts (or attaches to) the local cluster.
    pub fn open(settings: &DatabaseOptions) -> Result<Database, DbError> {
        let (url, cluster) = match &settings.url {
            Some(url) => (url.clone(), None),
            None => {
                let mut options = ClusterOptions::new(&settings.data_dir);
                options.bin_dir = settings.pg_bin_dir.clone();
                options.service_user = settings.pg_user.clone();
                let cluster = LocalCluster::start(&options)?;
                (cluster.database_url(launcher::LOCAL_ROLE), Some(cluster))
            }
        };
        let pool = pool(&url, settings.pool_size)?;
        Ok(Database { pool, url, cluster })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn cluster(&self) -> Option<&LocalCluster> {
        self.cluster.as_ref()
    }

    /// A pool of its own for batch work beside this one (the server's background worker, a
    /// billing run), so the batch never waits for, nor takes, the connections requests use.
    /// Its backends run at `nice` when the cluster is Kontor's own, on this machine.
    pub fn batch_pool(&self, size: u32, nice: i32) -> Result<PgPool, DbError> {
        let backend_nice = self.cluster.is_some().then_some(nice);
        pool_for(&self.url, size, Workload::Batch { backend_nice })
    }

    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.pool.get()?;
        migrate(&mut conn)
    }
}

pub fn pool(url: &str, size: u32) -> Result<PgPool, DbError> {
    pool_for(url, size, Workload::Interactive)
}

/// Whom a pool's connections work for. PostgreSQL names them in `pg_stat_activity`
/// (`application_name`), and a batch's backends on this machine run at the batch's lower CPU
/// priority: on a shared machine they, not Kontor's own threads, do much of a batch's work
/// (writing PDFs, their WAL and indexes), and would take the CPU a customer's page needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Requests and one-shot commands, at the default priority.
    Interactive,
    /// A billing run or the server's background worker. `backend_nice` only for a cluster on
    /// this machine: a backend's process id means nothing on another host.
    Batch { backend_nice: Option<i32> },
}

impl Workload {
    fn application_name(self) -> &'static str {
        match self {
            Workload::Interactive => "kontor",
            Workload::Batch { .. } => "kontor-batch",
        }
    }
}

pub fn pool_for(url: &str, size: u32, workload: Workload) -> Result<PgPool, DbError> {
    let manager = ConnectionManager::<PgConnection>::new(url);
    Ok(Pool::builder()
        .max_size(size)
        .min_idle(Some(0))
        .connection_timeout(std::time::Duration::from_secs(30))
        .connection_customizer(Box::new(SessionSettings(workload)))
        .build(manager)?)
}

/// Settings every Kontor connection gets. JIT is off: Kontor's queries are short, or reports
/// whose set-based plans PostgreSQL may overestimate, and then compiling them cost more than
/// running them (2.3 s of 5.6 s of the payment behaviour report at 100,000 invoices).
#[derive(Debug, Clone, Copy)]
struct SessionSettings(Workload);

impl diesel::r2d2::CustomizeConnection<PgConnection, diesel::r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        use diesel::RunQueryDsl;
        configure_session(conn).map_err(diesel::r2d2::Error::QueryError)?;
        diesel::sql_query(format!("SET application_name = '{}'", self.0.application_name()))
            .execute(conn)
            .map_err(diesel::r2d2::Error::QueryError)?;
        if let Workload::Batch { backend_nice: Some(nice) } = self.0 {
            let pid: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("pg_backend_pid()"))
                .get_result(conn)
                .map_err(diesel::r2d2::Error::QueryError)?;
            // Best effort: without the right (another user's cluster) the batch is only slower
            // for the portal, not wrong.
            if let Err(error) = crate::priority::lower_process(pid, nice) {
                tracing::warn!(pid, nice, %error, "could not lower the priority of a batch's database backend");
            }
        }
        Ok(())
    }
}

/// [`SessionSettings`] for a connection made without the pool (benchmarks measuring what the
/// pages run).
pub fn configure_session(conn: &mut PgConnection) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SET jit = off").execute(conn).map(|_| ())
}

/// Arbitrary but fixed: the advisory lock that serialises migrations across processes.
const MIGRATION_LOCK: i64 = 0x4b6f_6e74_6f72; // "Kontor"

/// Applies pending migrations; returns the versions applied. Servers starting at the same
/// time on several machines take turns: the first migrates, the others find nothing to do.
/// The lock is a transaction-level one around all the migrations (each runs in a savepoint),
/// so it ends with the transaction whatever happens: a connection never goes back to a pool
/// still holding it.
pub fn migrate(conn: &mut PgConnection) -> Result<Vec<String>, DbError> {
    use diesel::{Connection, RunQueryDsl};
    conn.transaction(|conn| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK)
            .execute(conn)?;
        crate::failpoint::hit("migrate-locked");
        conn.run_pending_migrations(MIGRATIONS)
            .map(|applied| applied.iter().map(|v| v.to_string()).collect())
            .map_err(|e| DbError::Migration(e.to_string()))
    })
}

/// True for a database error that says nothing about the data and may well not happen again:
/// a serialization failure, a deadlock PostgreSQL broke, a lock wait that timed out, a lost
/// connection or a server shutting down. Work that failed so is retried; any other error is
/// permanent until someone changes the data.
pub fn is_transient(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(
            DatabaseErrorKind::SerializationFailure
            | DatabaseErrorKind::ClosedConnection
            | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message();
            [
                "deadlock detected",
                "could not serialize access",
                "lock timeout",
                "could not obtain lock",
                "terminating connection",
                "server closed the connection",
                "connection to server",
            ]
            .iter()
            .any(|m| message.contains(m))
        }
        Error::BrokenTransactionManager => true,
        _ => false,
    }
}

/// The values a migration's `CHECK (column IN (...))` allows, in order, for the first such
/// check after `table` is named: what the tests of the Rust enums for stored states and kinds
/// hold them to.
#[cfg(test)]
pub fn check_list<'a>(migration: &'a str, table: &str, column: &str) -> Vec<&'a str> {
    let check = format!("CHECK ({column} IN (");
    let from = migration.find(&format!("TABLE {table} ")).unwrap_or(migration.len());
    let line = migration[from..].lines().find(|line| line.contains(&check)).unwrap_or_default();
    let list = line.find(&check).map_or("", |at| &line[at..]);
    list.split('\'').skip(1).step_by(2).collect()
}
