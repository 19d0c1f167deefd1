#![forbid(unsafe_code)]
//! Entry point: install the panic hook and mount the app. Nothing else lives here.

fn main() {
    console_error_panic_hook::set_once();
    gongkai::mount();
}
