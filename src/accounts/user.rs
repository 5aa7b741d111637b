//! Log-in identities: customers and staff, with their role.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::AccountError;
use crate::db::schema::users;
use crate::ids::{CustomerId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    /// Reads the back office, changes nothing.
    Support,
    Finance,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Support => "support",
            Role::Finance => "finance",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "customer" => Role::Customer,
            "support" => Role::Support,
            "finance" => Role::Finance,
            "admin" => Role::Admin,
            _ => return None,
        })
    }

    pub fn is_staff(self) -> bool {
        self != Role::Customer
    }

    /// Every staff member must prove a second factor.
    pub fn requires_second_factor(self) -> bool {
        // Support reads every invoice and writes to customers through incidents: every staff
        // member proves a second factor.
        self.is_staff()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    pub customer_id: Option<CustomerId>,
    pub language: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub totp_enabled: bool,
    pub disabled: bool,
    /// The customer closed their account: read-only until everything is settled.
    pub closed: bool,
    pub(crate) password_hash: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: i64,
    email: String,
    password_hash: Option<String>,
    role: String,
    customer_id: Option<i64>,
    language: String,
    email_verified_at: Option<DateTime<Utc>>,
    totp_enabled_at: Option<DateTime<Utc>>,
    disabled_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
}

impl TryFrom<UserRow> for User {
    type Error = AccountError;

    fn try_from(row: UserRow) -> Result<User, AccountError> {
        Ok(User {
            id: UserId(row.id),
            role: Role::parse(&row.role)
                .ok_or_else(|| AccountError::Corrupt(format!("role {:?}", row.role)))?,
            email: row.email,
            customer_id: row.customer_id.map(CustomerId),
            language: row.language,
            email_verified_at: row.email_verified_at,
            totp_enabled: row.totp_enabled_at.is_some(),
            disabled: row.disabled_at.is_some(),
            closed: row.closed_at.is_some(),
            password_hash: row.password_hash,
        })
    }
}

impl User {
    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }

    pub fn by_id(conn: &mut PgConnection, id: UserId) -> Result<Option<User>, AccountError> {
        users::table
            .find(id.0)
            .select(UserRow::as_select())
            .first(conn)
            .optional()?
            .map(User::try_from)
            .transpose()
    }

    /// Case-insensitive, as emails are compared everywhere.
    pub fn by_email(conn: &mut PgConnection, email: &str) -> Result<Option<User>, AccountError> {
        users::table
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("lower(email) = lower(")
                    .bind::<diesel::sql_types::Text, _>(email.trim())
                    .sql(")"),
            )
            .select(UserRow::as_select())
            .first(conn)
            .optional()?
            .map(User::try_from)
            .transpose()
    }

    pub fn of_customer(conn: &mut PgConnection, customer: CustomerId) -> Result<Option<User>, AccountError> {
        users::table
            .filter(users::customer_id.eq(customer.0))
            .select(UserRow::as_select())
            .first(conn)
            .optional()?
            .map(User::try_from)
            .transpose()
    }

    /// Records that the user proved their address (a link from an email was used).
    pub fn mark_verified(
        conn: &mut PgConnection,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), AccountError> {
        diesel::update(users::table.find(user.0).filter(users::email_verified_at.is_null()))
            .set(users::email_verified_at.eq(now))
            .execute(conn)?;
        Ok(())
    }
}
