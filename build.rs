// Migrations are embedded at compile time (`embed_migrations!`): rebuild when one changes, so a
// new migration is never silently missing from the binary.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
