// A module whose imports rivet cannot satisfy: a function WASI does not
// have, fd_write with the wrong signature, and an import from another
// module. rivet run must refuse it, naming each.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("not_a_wasi_function")))
int not_a_wasi_function(int);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write")))
int fd_write_wrong(int);
__attribute__((import_module("env"), import_name("host_thing"))) int host_thing(void);

int main(void) { return not_a_wasi_function(1) + fd_write_wrong(2) + host_thing(); }
