// The supervisor's side of a system container's console (issue 7). The supervisor holds the
// pty master of /dev/console; this hub reads it whether or not anyone is attached (a full pty
// would block init's writes), keeps the recent output in a ConsoleRing, rewrites
// <root>/<id>/console.log from it, and serves `hull console` clients on
// <root>/<id>/console.sock.
//
// Wire protocol on console.sock (SOCK_SEQPACKET, one message per send):
//   client -> hub: 'd' + bytes          input for the console
//                  'w' + u16 rows + u16 cols   window size (host byte order; 0 = unknown)
//   hub -> client: raw console output
// A client's first message (the client sends a 'w' at once) makes the hub send the backlog,
// ring.recent(3 * rows, 32 KiB), then live output. A client that does not keep up (its socket
// is full) is disconnected: the console never waits for a reader.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "runtime/system/console_ring.hpp"

namespace hull::system_container {

inline constexpr std::size_t kDefaultConsoleBuffer = 128 * 1024;

// The supervisor's side of the console: reads the pty master into the ring (always, so the
// container never blocks on a full pty), mirrors it to attached clients, writes console.log,
// and serves `hull console` on a unix socket. Driven by the supervisor's poll loop.
class ConsoleHub {
  public:
    // dir_fd: the container's state directory (<root>/<id>), an O_PATH|O_DIRECTORY fd the hub
    // dups. Creates <dir>/console.sock (listening, mode 0600) and <dir>/console.log (0600,
    // O_NOFOLLOW).
    ConsoleHub(int dir_fd, std::size_t ring_bytes);
    // Closes clients, unlinks console.sock, writes console.log a last time.
    ~ConsoleHub();
    ConsoleHub(const ConsoleHub&) = delete;
    ConsoleHub& operator=(const ConsoleHub&) = delete;

    // The pty master of the container's current boot (a reboot brings a new one); the old
    // one (if any) is drained into the ring first. May be an invalid fd (no console).
    void set_master(unique_fd master);
    // Appends the fds to watch; their order is the hub's business.
    void collect(std::vector<struct pollfd>& fds) const;
    // Handles readiness of the fds collect() appended, which start at fds[first].
    void dispatch(const std::vector<struct pollfd>& fds, std::size_t first);
    // Milliseconds until the hub needs on_timeout() (a console.log flush is due), -1 if never.
    int timeout_ms() const;
    void on_timeout();
    // Writes console.log now (throws hull::Error on failure).
    void flush_log();
    // Drains whatever the master still holds (before the supervisor exits / reboots).
    void drain();

    const ConsoleRing& ring() const { return ring_; }
    std::size_t client_count() const { return clients_.size(); }

  private:
    using Clock = std::chrono::steady_clock;

    struct Client {
        unique_fd fd;
        bool attached = false;  // has sent its first message: gets output
        bool dead = false;
    };

    // One read of the master into the ring and the clients. False when nothing more is to be
    // had now (EAGAIN, or a hang-up that pauses the master).
    bool read_master_once();
    void read_master(std::size_t max_reads);
    void pause_master();
    void write_master(const char* data, std::size_t size);
    void flush_pending_input();
    void accept_clients();
    void serve_client(Client& client);
    void send_to(Client& client, const char* data, std::size_t size);
    void apply_window_size();
    void reap_clients();
    bool master_polled() const;
    Clock::time_point log_due() const;

    unique_fd dir_;
    ConsoleRing ring_;
    unique_fd listener_;
    unique_fd log_;
    unique_fd master_;
    unique_fd slave_;  // our own slave of the current pty: see set_master
    std::vector<Client> clients_;
    std::string pending_input_;  // client input the master could not take yet
    std::uint16_t rows_ = 0, cols_ = 0;
    Clock::time_point master_paused_until_{};
    bool log_dirty_ = false;
    Clock::time_point dirty_since_{};
    Clock::time_point last_output_{};
    mutable std::size_t collected_ = 0;  // how many fds collect() appended last
};

}  // namespace hull::system_container
