//! The baseline of `cli/benches/listen.sh`: a TCP server that does nothing with what it gets
//! (accept, read to EOF, close) on the same tokio runtime `amt-hello listen` uses, so that the
//! difference between the two is what `listen` does with a Hello.
//!
//! ```sh
//! cargo run --release -p amt-hello-cli --example null_server -- 127.0.0.1:9971
//! ```

use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:9971".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind(&addr).await?;
        loop {
            let (mut socket, _) = listener.accept().await?;
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                while matches!(socket.read(&mut buffer).await, Ok(n) if n > 0) {}
            });
        }
    })
}
