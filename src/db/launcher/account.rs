//! Who PostgreSQL runs as: itself when Kontor is not root, else an unprivileged user.

use super::LauncherError;

/// The account PostgreSQL's processes run under when Kontor itself is root.
#[derive(Debug, Clone, Copy)]
pub(super) struct ServiceAccount {
    pub(super) uid: u32,
    pub(super) gid: u32,
}

pub(super) fn service_account(user: &str) -> Result<Option<ServiceAccount>, LauncherError> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let no_user = || LauncherError::NoServiceUser { user: user.to_owned() };
    let name = std::ffi::CString::new(user).map_err(|_| no_user())?;
    // SAFETY: `name` is a valid C string; getpwnam returns NULL or a pointer to a static
    // record, which is copied out before any other call can overwrite it.
    let record = unsafe { libc::getpwnam(name.as_ptr()) };
    if record.is_null() {
        return Err(no_user());
    }
    // SAFETY: checked non-null above.
    let (uid, gid) = unsafe { ((*record).pw_uid, (*record).pw_gid) };
    if uid == 0 {
        return Err(no_user());
    }
    Ok(Some(ServiceAccount { uid, gid }))
}
