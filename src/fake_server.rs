//! Running the fakes of services Kontor cannot reach from tests and the demo (PayPal, VIES):
//! each is an actix server on its own thread and system, started and stopped the same way.

use actix_web::dev::{Server, ServerHandle};

/// Starts the server `build` makes on a thread of its own; returns once it listens.
pub fn in_thread(
    build: impl FnOnce() -> std::io::Result<Server> + Send + 'static,
) -> std::io::Result<ServerHandle> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        match build() {
            Ok(server) => {
                let _ = sender.send(Ok(server.handle()));
                let _ = system.block_on(server);
            }
            Err(e) => {
                let _ = sender.send(Err(e));
            }
        }
    });
    receiver.recv().map_err(std::io::Error::other)?
}

/// Stops a server started by [`in_thread`] without waiting for it (from a `Drop`).
pub fn stop(handle: &ServerHandle) {
    let handle = handle.clone();
    std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false)));
}
