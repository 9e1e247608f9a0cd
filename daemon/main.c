/*
 * cqod: the CQO registry chat-bot daemon.
 *
 *   cqod -c FILE          serve webhooks (never as root)
 *   cqod -n -c FILE       check the configuration and exit
 *   cqod --console [-c FILE] [-d DB]   the same handlers on stdin/stdout
 *
 * Lifecycle: SIGTERM/SIGINT stop accepting, let requests in flight finish (at
 * most shutdown_timeout_ms), flush the inbox, close the store and exit 0.
 * SIGHUP re-reads the configuration and swaps it in only if it is valid and
 * config_reload_check() finds it a safe replacement; cqod -n checks the same.
 *
 * Under systemd (Type=notify) each step is announced on $NOTIFY_SOCKET:
 * READY=1 once the store is open and the listener is up, RELOADING=1 and
 * READY=1 around a SIGHUP, STOPPING=1 at the start of the drain, with STATUS=
 * lines saying what is going on; WATCHDOG=1 pings come from a loop timer, so
 * a stuck loop gets the service restarted (WatchdogSec=).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../handlers/dispatch.h"
#include "console.h"
#include "../messages/dingtalk.h"
#include "../messages/dingtalk_card.h"
#include "../lib/platform.h"
#include "../messages/platforms.h"
#include "../handlers/text/common.h"
#include "alliance_tick.h"
#include "app.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "http.h"
#include "inbox.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "metrics_process.h"
#include "sd_notify.h"
#include "outbox.h"
#include "scheduler.h"
#include "streams.h"
#include "../store/store.h"
#include "../store/store_audit.h"
#include "../handlers/tenant.h"

#define DRAIN_POLL_MS 10
/* How long a write at start may wait for another connection's lock. */
#define START_BUSY_TIMEOUT_MS 5000
#define SD_LISTEN_FDS_START 3

struct daemon {
	struct app app;
	struct dispatch_env env;        /* console mode */
	struct identity console_who;
	struct console *console;
	struct scheduler *scheduler;    /* the daily reminder sweep */
	struct alliance_tick *alliance_tick; /* delivery reports, annual campaigns */
	uv_signal_t sig_term, sig_int, sig_hup;
	uv_timer_t drain;
	uv_timer_t watchdog;            /* WATCHDOG=1 at half of $WATCHDOG_USEC */
	uv_fs_event_t clock_watch;      /* CQOD_FAKE_NOW_FILE, when tests set it */
	bool clock_watched;
	uint64_t drain_deadline;
	size_t drain_reported;          /* requests in flight last told to systemd */
	bool console_mode;
	bool db_override;               /* -d: it wins over the file's database */
	int exit_code;
};

static void usage(FILE *f)
{
	fputs("usage: cqod [-c FILE] [-d DATABASE] [-n] [--console]\n"
	      "  -c, --config FILE    configuration file (see cqod.conf.example)\n"
	      "  -d, --database PATH  SQLite database, overriding [daemon] database\n"
	      "  -n, --check          check the configuration, print \"configuration OK\"\n"
	      "      --console        run commands from stdin as the local operator\n"
	      "  -h, --help           this text\n",
	      f);
}

static void close_handle(uv_handle_t *h)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Everything in flight is done (or the deadline passed): close all handles so
 * uv_run returns. */
static void daemon_finish(struct daemon *d)
{
	close_handle((uv_handle_t *)&d->drain);
	close_handle((uv_handle_t *)&d->watchdog);
	close_handle((uv_handle_t *)&d->sig_term);
	close_handle((uv_handle_t *)&d->sig_int);
	close_handle((uv_handle_t *)&d->sig_hup);
	if (d->clock_watched)
		close_handle((uv_handle_t *)&d->clock_watch);
	if (d->console) {
		console_close(d->console);
		d->console = NULL;
	}
	if (d->scheduler) {
		scheduler_close(d->scheduler);
		d->scheduler = NULL;
	}
	if (d->alliance_tick) {
		alliance_tick_close(d->alliance_tick);
		d->alliance_tick = NULL;
	}
	if (d->app.http) {
		http_server_close(d->app.http, NULL, NULL);
		d->app.http = NULL;
	}
	if (d->app.inbox) {
		inbox_close(d->app.inbox);
		d->app.inbox = NULL;
	}
	/* After the inbox: its last answers were acknowledged or dropped. */
	streams_close(d->app.streams);
	if (d->app.sender) {
		sender_close(d->app.sender);
		d->app.sender = NULL;
	}
	/* After the sender: the sends it cancelled settle in the outbox. */
	if (d->app.outbox) {
		outbox_close(d->app.outbox);
		d->app.outbox = NULL;
	}
}

/* Work a shutdown waits for: requests, inbox commits, sends, and the
 * outbox's rows in hand (a file being built counts: the sender does not
 * know it yet). */
static size_t daemon_busy(const struct daemon *d)
{
	size_t busy = d->app.http ? http_server_requests_in_flight(d->app.http) : 0;

	busy += d->app.outbox ? outbox_in_flight(d->app.outbox) : 0;

	busy += d->app.inbox ? inbox_pending(d->app.inbox) : 0;
	busy += d->app.sender ? sender_pending(d->app.sender) : 0;
	busy += streams_busy(d->app.streams);
	return busy;
}

static void on_drain(uv_timer_t *t)
{
	struct daemon *d = t->data;
	size_t busy = daemon_busy(d);

	if (!d->console_mode && busy != d->drain_reported) {
		d->drain_reported = busy;
		sd_notify_sendf("STATUS=draining %zu requests", busy);
	}
	if (busy && uv_now(d->app.loop) < d->drain_deadline)
		return;
	if (busy)
		log_warn("shutdown: %zu requests still in flight after %u ms, closing them", busy,
		         d->app.cfg->shutdown_timeout_ms);
	daemon_finish(d);
}

static void daemon_stop(struct daemon *d)
{
	if (d->app.stopping)
		return;
	d->app.stopping = true;
	if (!d->console_mode) {
		log_info("shutting down");
		d->drain_reported = daemon_busy(d);
		sd_notify_sendf("STOPPING=1\nSTATUS=draining %zu requests", d->drain_reported);
	}
	if (d->app.http)
		http_server_stop_accepting(d->app.http);
	if (d->app.outbox)
		outbox_stop(d->app.outbox);
	streams_stop(d->app.streams);
	d->drain_deadline = uv_now(d->app.loop) + d->app.cfg->shutdown_timeout_ms;
	uv_timer_start(&d->drain, on_drain, 0, DRAIN_POLL_MS);
}

static void on_console_eof(void *arg)
{
	daemon_stop(arg);
}

static void on_stop_signal(uv_signal_t *s, int signum)
{
	log_info("received %s", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	daemon_stop(s->data);
}

static void report_config_errors(const struct config_errors *errs, bool to_log)
{
	for (size_t i = 0; i < errs->n; i++) {
		if (to_log)
			log_warn("%s", errs->msgs[i]);
		else
			fprintf(stderr, "%s\n", errs->msgs[i]);
	}
}

static struct http_limits http_limits_of(const struct config *cfg)
{
	return (struct http_limits){
		.max_header_bytes = cfg->max_header_bytes,
		.max_body_bytes = cfg->max_body_bytes,
		.idle_timeout_ms = cfg->idle_timeout_ms,
		.request_timeout_ms = cfg->request_timeout_ms,
		.max_connections = cfg->max_connections,
		.max_connections_per_address = cfg->max_connections_per_address,
		.max_body_memory = cfg->max_body_memory,
	};
}

static void reload(struct daemon *d)
{
	struct config_errors errs = {0};
	struct config *next = NULL;
	struct config *cur = d->app.cfg;
	char *why = NULL;
	int rc;

	if (!cur->path) {
		log_warn("SIGHUP: started without -c, nothing to reload");
		return;
	}
	if (config_load(cur->path, &next, &errs) < 0) {
		report_config_errors(&errs, true);
		log_warn("SIGHUP: %s has %zu error(s); keeping the running configuration", cur->path,
		         errs.n);
		config_errors_free(&errs);
		return;
	}
	/* As at start: the file's database does not count when -d gave one. */
	if (d->db_override) {
		free(next->database);
		next->database = strdup(cur->database);
		if (!next->database) {
			log_error("SIGHUP: out of memory; keeping the running configuration");
			config_free(next);
			return;
		}
	}
	rc = config_reload_check(cur, next, &why);
	if (rc < 0) {
		log_warn("SIGHUP: %s; keeping the running configuration", why ? why : strerror(-rc));
		free(why);
		config_free(next);
		return;
	}
	log_set_level(next->log_level);
	if (d->app.http) {
		struct http_limits lim = http_limits_of(next);

		http_server_set_limits(d->app.http, &lim);
		/* Checked when the file was loaded: only memory can fail here. */
		rc = http_server_set_trusted_proxies(d->app.http, next->trusted_proxies);
		if (rc < 0)
			log_error("SIGHUP: trusted_proxies: %s; keeping the previous list",
			          strerror(-rc));
	}
	if (d->app.inbox)
		inbox_set_limits(d->app.inbox, next->commit_batch_max, next->dedupe_hours);
	d->app.cfg = next;
	d->env.cfg = next;
	config_free(cur);
	if (d->app.streams)
		streams_reload(d->app.streams);
	log_info("SIGHUP: configuration reloaded from %s", next->path);
}

static void notify_serving(const struct daemon *d)
{
	sd_notify_sendf("READY=1\nSTATUS=serving, %zu webhook instances", d->app.cfg->n_instances);
}

static void on_reload(uv_signal_t *s, int signum)
{
	struct daemon *d = s->data;
	(void)signum;

	if (!d->console_mode)
		sd_notify_send("RELOADING=1\nSTATUS=reloading the configuration");
	reload(d);
	/* A newer calendar file may have been dropped in, whatever the config. */
	if (d->scheduler)
		scheduler_reload(d->scheduler);
	if (!d->console_mode && !d->app.stopping)
		notify_serving(d);
}

/* Whether fd is a listening stream socket (what ListenStream= passes). */
static bool is_listening_stream(int fd)
{
	int type = 0, listening = 0;
	socklen_t len = sizeof type;

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
		return false;
	len = sizeof listening;
	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 && listening;
}

/* systemd socket activation (sd_listen_fds(3)): the listening socket is fd 3
 * when LISTEN_PID is us. Once taken, the variables are removed so that no
 * process started later could mistake them for its own. Returns the fd, -1
 * when not activated, -EINVAL when what was passed cannot be used. */
static int activated_fd(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	char *end;

	if (!pid || !fds || atol(pid) != (long)getpid())
		return -1;
	long n = strtol(fds, &end, 10);
	bool valid = *fds && !*end && n >= 1;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (!valid)
		return -1;
	if (n > 1)
		log_warn("socket activation passed %ld sockets; using only the first", n);
	if (!is_listening_stream(SD_LISTEN_FDS_START)) {
		log_error("socket activation: fd %d is not a listening stream socket "
		          "(cqod.socket needs ListenStream=)", SD_LISTEN_FDS_START);
		return -EINVAL;
	}
	fcntl(SD_LISTEN_FDS_START, F_SETFD, FD_CLOEXEC);
	return SD_LISTEN_FDS_START;
}

static int load_regions(struct store *st, const char *data_dir)
{
	char path[4096];
	int loaded = 0;

	if (store_regions_count(st) > 0)
		return 0;
	snprintf(path, sizeof path, "%s/regions.csv", data_dir);
	if (access(path, R_OK) != 0) {
		log_warn("%s: %s; region names will be missing", path, strerror(errno));
		return 0;
	}
	int rc = store_begin(st);
	if (rc == 0)
		rc = store_regions_load_csv(st, path, &loaded);
	rc = store_end(st, rc);
	if (rc == 0)
		log_info("loaded %d regions from %s", loaded, path);
	return rc;
}

/* Gives pending identities what the configuration knows of their tenant
 * (store.h), once per start: after an upgrade most are settled here. */
static int settle_tenants(struct store *st, const struct config *cfg)
{
	int settled = 0;
	int rc = store_begin(st);

	if (rc == 0)
		rc = tenant_settle(st, cfg, &settled);
	rc = store_end(st, rc);
	if (rc == 0 && settled)
		log_info("store: %d identities took the tenant of their instance", settled);
	return rc;
}

static int start_console(struct daemon *d)
{
	struct config *cfg = d->app.cfg;
	enum role r = ROLE_ADMIN;

	if (role_parse(cfg->console_role, &r) < 0)
		return -EINVAL;
	d->console_who.role = r;
	if (cfg->console_scope)
		snprintf(d->console_who.scope, sizeof d->console_who.scope, "%s",
		         cfg->console_scope);
	d->env = (struct dispatch_env){.store = d->app.store, .cfg = cfg,
	                               .fixed_identity = &d->console_who};
	if (isatty(0) && isatty(1)) {
		printf(TXT_CONSOLE_BANNER "\n", role_display(r));
		fflush(stdout);
	}
	return console_start(d->app.loop, &d->env, on_console_eof, d, &d->console);
}

static void on_watchdog(uv_timer_t *t)
{
	(void)t;
	sd_notify_send("WATCHDOG=1");
}

/* Pings at half the interval systemd asked for, as sd_watchdog_enabled(3)
 * advises; from a loop timer, so the pings stop when the loop is stuck. */
static void start_watchdog(struct daemon *d)
{
	uint64_t usec = sd_notify_watchdog_usec();
	uint64_t ms = usec / 2000;

	if (!usec) {
		log_debug("systemd watchdog: not asked for this process");
		return;
	}
	if (ms == 0)
		ms = 1;
	uv_timer_start(&d->watchdog, on_watchdog, ms, ms);
	log_info("systemd watchdog: pinging every %llu ms", (unsigned long long)ms);
}

static int start_server(struct daemon *d)
{
	struct config *cfg = d->app.cfg;
	struct http_limits lim = http_limits_of(cfg);
	int fd = activated_fd();
	if (fd == -EINVAL)
		return fd;
	int rc = inbox_open(d->app.loop, d->app.store, cfg->commit_batch_max, cfg->dedupe_hours,
	                    &d->app.inbox);
	if (rc < 0)
		return rc;
	rc = sender_open(d->app.loop, &d->app.cfg, &d->app.sender);
	if (rc < 0) {
		log_error("cannot start outbound messaging: %s", strerror(-rc));
		return rc;
	}
	d->app.ding_signs = dingtalk_signs_new(DINGTALK_SIGNS_MAX);
	if (!d->app.ding_signs) {
		log_error("cannot start: out of memory");
		return -ENOMEM;
	}
	rc = http_server_start(d->app.loop, cfg->listen, fd, &lim, router_handle, &d->app,
	                       &d->app.http);
	if (rc < 0) {
		log_error("cannot listen on %s: %s", fd >= 0 ? "the activated socket" : cfg->listen,
		          uv_strerror(rc));
		return rc;
	}
	rc = http_server_set_trusted_proxies(d->app.http, cfg->trusted_proxies);
	if (rc < 0) {
		log_error("trusted_proxies: %s", strerror(-rc));
		return rc;
	}
	rc = streams_start(&d->app, &d->app.streams);
	if (rc < 0)
		return rc;
	start_watchdog(d);
	log_info("listening on %s (port %d), %zu webhook instance(s)",
	         fd >= 0 ? "the activated socket" : cfg->listen, http_server_port(d->app.http),
	         cfg->n_instances);
	return 0;
}

/* The fake clock's file changed: the timed work looks at the new time now
 * instead of after its current sleep (up to an hour). */
static void on_clock_file(uv_fs_event_t *h, const char *name, int events, int status)
{
	struct daemon *d = h->data;
	char date[11];

	(void)name;
	(void)events;
	if (status < 0 || clock_reread() <= 0)
		return;
	clock_cst_date(clock_now(), date);
	log_info("clock: set to %lld (%s) from %s", (long long)clock_now(), date,
	         clock_fake_file());
	if (d->scheduler)
		scheduler_replan(d->scheduler);
	if (d->alliance_tick)
		alliance_tick_now(d->alliance_tick);
}

/* Tests move a fake clock by rewriting the file CQOD_FAKE_NOW_FILE names. */
static void watch_clock_file(struct daemon *d)
{
	const char *path = clock_fake_file();
	int rc;

	if (!path)
		return;
	uv_fs_event_init(d->app.loop, &d->clock_watch);
	d->clock_watch.data = d;
	d->clock_watched = true;
	rc = uv_fs_event_start(&d->clock_watch, on_clock_file, path, 0);
	if (rc < 0)
		log_warn("clock: cannot watch %s: %s", path, uv_strerror(rc));
	uv_unref((uv_handle_t *)&d->clock_watch);
}

static int run(struct daemon *d)
{
	uv_loop_t *loop = d->app.loop;
	int rc;

	uv_timer_init(loop, &d->drain);
	uv_timer_init(loop, &d->watchdog);
	uv_unref((uv_handle_t *)&d->watchdog);
	uv_signal_init(loop, &d->sig_term);
	uv_signal_init(loop, &d->sig_int);
	uv_signal_init(loop, &d->sig_hup);
	d->drain.data = d->sig_term.data = d->sig_int.data = d->sig_hup.data = d;
	uv_signal_start(&d->sig_term, on_stop_signal, SIGTERM);
	uv_signal_start(&d->sig_int, on_stop_signal, SIGINT);
	uv_signal_start(&d->sig_hup, on_reload, SIGHUP);
	router_metrics_init(&d->app);
	dispatch_metrics_init();
	store_metrics_init();
	metrics_process_init();

	rc = d->console_mode ? start_console(d) : start_server(d);
	if (rc == 0) {
		rc = outbox_open(loop, d->app.store, &d->app.cfg, d->app.sender, &d->app.outbox);
		if (rc < 0)
			log_error("cannot start the outbox: %s", strerror(-rc));
	}
	if (rc == 0)
		rc = scheduler_start(loop, d->app.store, &d->app.cfg, &d->scheduler);
	if (rc == 0)
		rc = alliance_tick_start(loop, d->app.store, &d->app.cfg, &d->alliance_tick);
	if (rc == 0)
		watch_clock_file(d);
	if (rc < 0) {
		d->exit_code = 1;
		daemon_finish(d);
	} else if (!d->console_mode) {
		/* Everything has started: store, listener, outbox and timers. */
		notify_serving(d);
	}
	/* From here on the loop never waits for a lock: a busy database is
	 * retried on a timer or answered as such. */
	store_set_busy_timeout(d->app.store, 0);
	uv_run(loop, UV_RUN_DEFAULT);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"database", required_argument, NULL, 'd'},
		{"check", no_argument, NULL, 'n'},
		{"console", no_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cfg_path = NULL, *db_path = NULL;
	bool check_only = false;
	struct daemon d = {0};
	int opt;

	/* The database, its WAL and shared memory, and the outbox lock hold the
	 * registry: readable by the service user only, whoever started us. */
	umask(077);
	while ((opt = getopt_long(argc, argv, "c:d:nh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': cfg_path = optarg; break;
		case 'd': db_path = optarg; break;
		case 'n': check_only = true; break;
		case 'C': d.console_mode = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	log_init(LOG_LEVEL_INFO);
	if (clock_init() < 0) {
		fprintf(stderr, "cqod: CQOD_FAKE_NOW (or the file CQOD_FAKE_NOW_FILE names) is not "
		        "a time\n");
		return 2;
	}
	/* The loader and the destinations learn the platforms from their rows. */
	if (platforms_register() < 0) {
		fprintf(stderr, "cqod: the platform table is malformed\n");
		return 2;
	}
	/* The renderer asks the running configuration which DingTalk
	 * instances send interactive cards. */
	dingtalk_cards_register(&d.app.cfg);

	struct config_errors errs = {0};
	if (cfg_path) {
		if (config_load(cfg_path, &d.app.cfg, &errs) < 0) {
			report_config_errors(&errs, false);
			config_errors_free(&errs);
			return 1;
		}
	} else if (check_only) {
		fprintf(stderr, "cqod: -n needs -c FILE\n");
		return 2;
	} else if (!(d.app.cfg = config_defaults())) {
		return 1;
	}
	/* What -n refuses, a start refuses too: an empty or truncated file
	 * would start a daemon with no platform at all. */
	if (cfg_path) {
		char *why = NULL;
		int rc = config_reload_check(NULL, d.app.cfg, &why);

		if (rc < 0)
			fprintf(stderr, "%s\n", why ? why : strerror(-rc));
		else if (check_only)
			puts("configuration OK");
		free(why);
		if (rc < 0 || check_only) {
			config_free(d.app.cfg);
			return rc < 0;
		}
	}
	if (!d.console_mode && geteuid() == 0) {
		fprintf(stderr, "cqod: refusing to run as root; run it as a dedicated user "
		                "(the systemd unit uses User=cqod)\n");
		config_free(d.app.cfg);
		return 1;
	}
	if (db_path) {
		char *p = strdup(db_path);
		if (!p)
			return 1;
		free(d.app.cfg->database);
		d.app.cfg->database = p;
		d.db_override = true;
	}
	/* At the console, per-command info lines would drown the answers. */
	log_init(d.console_mode && d.app.cfg->log_level == LOG_LEVEL_INFO ? LOG_LEVEL_WARN
	                                                                 : d.app.cfg->log_level);

	uv_loop_t loop;
	uv_loop_init(&loop);
	d.app.loop = &loop;
	/* Nothing has opened a database yet. */
	if (store_process_init() < 0)
		log_warn("store: statement journals spill to temporary files past 64 KiB");
	int rc = store_open(d.app.cfg->database, &d.app.store);
	if (rc < 0) {
		log_error("cannot open database %s: %s", d.app.cfg->database, strerror(-rc));
		d.exit_code = 1;
	} else {
		/* Until the loop runs (run() clears it), a write at start waits
		 * for a lock held elsewhere for a moment (a cqoctl chunk, the
		 * checkpoint worker's restart) rather than failing the start. */
		store_set_busy_timeout(d.app.store, START_BUSY_TIMEOUT_MS);
		if (load_regions(d.app.store, d.app.cfg->data_dir) < 0 ||
		    settle_tenants(d.app.store, d.app.cfg) < 0) {
			d.exit_code = 1;
		} else {
			/* Without the worker, commits on the loop checkpoint themselves. */
			if (store_checkpoint_offload(d.app.store) < 0)
				log_warn("store: checkpoints stay on the event loop");
			run(&d);
		}
	}
	streams_free(d.app.streams);
	if (d.app.store)
		store_close(d.app.store);
	dingtalk_signs_free(d.app.ding_signs);
	if (uv_loop_close(&loop) != 0)
		log_warn("event loop closed with handles still open");
	if (!d.console_mode && d.exit_code == 0)
		log_info("stopped cleanly");
	config_free(d.app.cfg);
	metrics_reset();
	return d.exit_code;
}
