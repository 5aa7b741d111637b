//! A small real SMTP server for tests: a thread per connection on 127.0.0.1, speaking EHLO,
//! HELO, MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP and QUIT, recording every
//! message it accepts, and scriptable to refuse.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// How the server answers. The default accepts everything.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Answer `451` to this many DATA commands (counted over all connections) before accepting.
    pub defer_first_data: usize,
    /// Answer `550` to RCPT for these addresses.
    pub reject_recipients: Vec<String>,
}

/// One accepted message: the envelope and the bytes after DATA, dot-unstuffed, without the
/// terminating `.` line.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Default)]
struct State {
    script: Script,
    data_commands: usize,
    connections: usize,
    received: Vec<Received>,
}

pub struct SmtpListener {
    pub port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl SmtpListener {
    pub fn start(script: Script) -> SmtpListener {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMTP listener");
        let port = listener.local_addr().expect("local address").port();
        let state = Arc::new(Mutex::new(State { script, ..State::default() }));
        let stop = Arc::new(AtomicBool::new(false));
        let (thread_state, thread_stop) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if thread_stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = thread_state.clone();
                std::thread::spawn(move || {
                    // A client that goes away mid-conversation just ends the session.
                    let _ = session(stream, &state);
                });
            }
        });
        SmtpListener { port, state, stop }
    }

    /// The `KONTOR_SMTP_URL` of this server (plain SMTP, no TLS).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        lock(&self.state).received.clone()
    }

    pub fn connections(&self) -> usize {
        lock(&self.state).connections
    }

    pub fn set_script(&self, script: Script) {
        lock(&self.state).script = script;
    }
}

impl Drop for SmtpListener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The address inside `MAIL FROM:<a@b> SIZE=1` or `RCPT TO:<a@b>`.
fn address(argument: &str) -> String {
    let argument = argument.trim();
    match (argument.find('<'), argument.find('>')) {
        (Some(start), Some(end)) if start < end => argument[start + 1..end].to_owned(),
        _ => argument.split_whitespace().next().unwrap_or_default().to_owned(),
    }
}

fn session(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    lock(state).connections += 1;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut reply = |text: &str| writer.write_all(format!("{text}\r\n").as_bytes());
    reply("220 listener.test ESMTP ready")?;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let line = String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']).to_owned();
        let (verb, argument) = line.split_once([' ', ':']).unwrap_or((&line, ""));
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" => reply("250-listener.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800")?,
            "HELO" => reply("250 listener.test")?,
            "MAIL" => {
                from = Some(address(argument));
                to.clear();
                reply("250 2.1.0 sender ok")?;
            }
            "RCPT" if from.is_none() => reply("503 5.5.1 MAIL first")?,
            "RCPT" => {
                let recipient = address(argument);
                if lock(state).script.reject_recipients.contains(&recipient) {
                    reply("550 5.1.1 no such mailbox here")?;
                } else {
                    to.push(recipient);
                    reply("250 2.1.5 recipient ok")?;
                }
            }
            "DATA" if to.is_empty() => reply("503 5.5.1 RCPT first")?,
            "DATA" => {
                let defer = {
                    let mut state = lock(state);
                    state.data_commands += 1;
                    state.data_commands <= state.script.defer_first_data
                };
                if defer {
                    from = None;
                    to.clear();
                    reply("451 4.3.0 try again later")?;
                    continue;
                }
                reply("354 end data with <CR><LF>.<CR><LF>")?;
                let mut data = Vec::new();
                loop {
                    let mut line = Vec::new();
                    if reader.read_until(b'\n', &mut line)? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    let unstuffed = if line.starts_with(b"..") { &line[1..] } else { &line[..] };
                    data.extend_from_slice(unstuffed);
                }
                let message =
                    Received { from: from.take().unwrap_or_default(), to: std::mem::take(&mut to), data };
                lock(state).received.push(message);
                reply("250 2.0.0 queued")?;
            }
            "RSET" => {
                from = None;
                to.clear();
                reply("250 2.0.0 reset")?;
            }
            "NOOP" => reply("250 2.0.0 ok")?,
            "QUIT" => {
                reply("221 2.0.0 bye")?;
                return Ok(());
            }
            _ => reply("502 5.5.2 command not implemented")?,
        }
    }
}

#[test]
fn the_listener_unstuffs_dots_and_follows_its_script() {
    let listener = SmtpListener::start(Script {
        defer_first_data: 1,
        reject_recipients: vec!["gone@x.example".to_owned()],
    });
    let stream = TcpStream::connect(("127.0.0.1", listener.port)).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut say = |command: &str| {
        writer.write_all(command.as_bytes()).unwrap();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.as_bytes().get(3) != Some(&b'-') {
                break line[..3].to_owned();
            }
        }
    };
    assert_eq!(say(""), "220");
    assert_eq!(say("EHLO me\r\n"), "250");
    assert_eq!(say("MAIL FROM:<a@x.example>\r\n"), "250");
    assert_eq!(say("RCPT TO:<gone@x.example>\r\n"), "550");
    assert_eq!(say("RCPT TO:<b@x.example>\r\n"), "250");
    assert_eq!(say("DATA\r\n"), "451", "the first DATA is deferred");
    assert_eq!(say("RSET\r\n"), "250");
    assert_eq!(say("MAIL FROM:<a@x.example>\r\n"), "250");
    assert_eq!(say("RCPT TO:<b@x.example>\r\n"), "250");
    assert_eq!(say("DATA\r\n"), "354");
    assert_eq!(say("Subject: x\r\n\r\n..leading dot\r\n.\r\n"), "250");
    assert_eq!(say("NOOP\r\n"), "250");
    assert_eq!(say("QUIT\r\n"), "221");
    let received = listener.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, ["b@x.example"]);
    assert_eq!(received[0].data, b"Subject: x\r\n\r\n.leading dot\r\n");
}
