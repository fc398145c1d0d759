//! A hello HTTP server on the standard library only: the app every base variant ships.
//! It prints basebench's timeline lines ("basebench-timeline entered|listening <CLOCK_MONOTONIC ns>")
//! so the harness can tell the process's own start from the engine's.
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

const BODY: &str = "hello from basebench\n";

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    // From the C library std links anyway; Instant hides its CLOCK_MONOTONIC value.
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

/// CLOCK_MONOTONIC (1) in nanoseconds: the clock the host shares with its containers.
fn monotonic_nanos() -> i64 {
    let mut ts = Timespec { tv_sec: 0, tv_nsec: 0 };
    unsafe { clock_gettime(1, &mut ts) };
    ts.tv_sec * 1_000_000_000 + ts.tv_nsec
}

fn answer(stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    // Read the request head; the body of a GET is empty.
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        BODY.len(),
        BODY
    )?;
    stream.flush()
}

fn main() -> std::io::Result<()> {
    println!("basebench-timeline entered {}", monotonic_nanos());
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = TcpListener::bind(format!("0.0.0.0:{port}"))?;
    println!("basebench-timeline listening {}", monotonic_nanos());
    eprintln!("listening on :{port}");
    for stream in listener.incoming() {
        let stream = stream?;
        thread::spawn(move || {
            if let Err(error) = answer(stream) {
                eprintln!("request failed: {error}");
            }
        });
    }
    Ok(())
}
