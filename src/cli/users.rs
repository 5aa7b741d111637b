//! `kontor` commands for staff accounts: create, change role or email, reset the second factor.

use clap::Subcommand;
use diesel::prelude::*;

use super::{CliError, open_migrated};
use crate::accounts::Role;
use crate::accounts::email::EmailAddress;
use crate::config::Settings;
use crate::db::DbError;

#[derive(Subcommand)]
pub(super) enum UserCommand {
    /// Create a staff member and print their one-time set-password link (valid 72 hours).
    Create {
        #[arg(long)]
        email: String,
        /// support (read-only), finance or admin.
        #[arg(long)]
        role: String,
    },
    /// Change a staff member's role (their sessions end).
    Role {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
    },
    /// Remove a staff member's two-factor authentication (lost phone); they enrol again.
    #[command(name = "reset-2fa")]
    Reset2fa {
        #[arg(long)]
        email: String,
    },
    /// Change a staff member's email address; both addresses are told (audited).
    Email {
        /// Their current address.
        #[arg(long)]
        email: String,
        /// The new address.
        #[arg(long = "new")]
        new_email: String,
    },
}

fn staff_role(role: &str) -> Result<Role, CliError> {
    Role::parse(role)
        .filter(|r| r.is_staff())
        .ok_or_else(|| CliError::Usage(format!("{role:?}: the role must be support, finance or admin")))
}

/// Runs a staff action on the staff member with `email`, audited as done by this operator.
fn staff_action(
    settings: &Settings,
    email: &str,
    action: impl FnOnce(
        &mut diesel::PgConnection,
        &crate::audit::Actor,
        crate::ids::UserId,
    ) -> Result<(), crate::accounts::AccountError>,
) -> Result<(), CliError> {
    let database = open_migrated(settings)?;
    let mut conn = database.pool.get().map_err(DbError::from)?;
    let user = crate::accounts::User::by_email(&mut conn, email)?
        .filter(|u| u.role.is_staff())
        .ok_or_else(|| CliError::Usage(format!("no staff member with the address {email}")))?;
    let operator = crate::audit::Actor::command_line();
    conn.transaction(|conn| action(conn, &operator, user.id))?;
    Ok(())
}

pub(super) fn user(command: UserCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        UserCommand::Create { email, role } => {
            let email = EmailAddress::parse(&email)
                .ok_or_else(|| CliError::Usage(format!("{email:?} is not an email address")))?;
            let role = Role::parse(&role).filter(|r| r.is_staff()).ok_or_else(|| {
                CliError::Usage(format!("{role:?}: the role must be support, finance or admin"))
            })?;
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let site = settings.site();
            let (user, link) = conn.transaction(|conn| {
                crate::accounts::staff::create_staff(conn, &site, &email, role, settings.clock.now())
            })?;
            println!("Staff member {email} (user {}, role {}) created.", user.0, role.as_str());
            println!("One-time link to set the password (valid 72 hours):\n  {link}");
            if role.requires_second_factor() {
                println!("They must set up two-factor authentication at their first sign-in.");
            }
            Ok(())
        }
        UserCommand::Role { email, role } => {
            let role = staff_role(&role)?;
            staff_action(settings, &email, |conn, operator, user| {
                crate::accounts::staff::change_role(conn, operator, user, role)
            })?;
            println!("{email} is now {}; their sessions have ended.", role.as_str());
            Ok(())
        }
        UserCommand::Email { email, new_email } => {
            let new = EmailAddress::parse(&new_email)
                .ok_or_else(|| CliError::Usage(format!("{new_email:?} is not an email address")))?;
            let (site, now) = (settings.site(), settings.clock.now());
            staff_action(settings, &email, |conn, operator, user| {
                crate::accounts::email_change::change_staff_email(conn, &site, operator, user, &new, now)
            })?;
            println!("{email} now signs in as {new}; both addresses have been told.");
            Ok(())
        }
        UserCommand::Reset2fa { email } => {
            staff_action(settings, &email, crate::accounts::staff::reset_second_factor)?;
            println!(
                "Two-factor authentication of {email} removed; they set it up again at their next sign-in."
            );
            Ok(())
        }
    }
}
