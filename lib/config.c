/*
 * Loads cqod.conf.
 *
 * inih splits "key = value" lines; the rest is done here because Debian's
 * inih passes the handler no line number and reports only the first syntax
 * error. The reader given to ini_parse_stream() reads whole lines itself,
 * counts them, checks their syntax and handles [section] headers, and hands
 * inih only well-formed "key = value" lines (anything else becomes an empty
 * line). inih calls the handler right after the reader returned a line, so
 * p->line is that line's number, and every problem can be reported as
 * "file:line: message" without stopping at the first.
 *
 * Secret values are never put into a message: messages quote a value only for
 * keys that are not secrets, and never quote a line that failed to parse.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <ini.h>

#include "config_keys.h"
#include "path.h"

enum section_kind {
	SEC_NONE,      /* before the first header */
	SEC_FIXED,     /* [daemon], [http], [inbox] */
	SEC_INSTANCE,  /* [platform:name] */
	SEC_SKIP,      /* a bad header, already reported: its keys are ignored */
};

struct parser {
	const char *path;            /* as the caller gave it, for messages */
	char *dir;                   /* owned: path's directory, for relative *_file */
	FILE *fp;
	char *buf;                   /* owned getline() buffer; wiped before free */
	size_t buf_cap;
	int line;
	int read_errno;
	bool oom;
	struct config *cfg;          /* owned until handed to the caller */
	struct config_errors *errs;  /* the caller's */
	size_t errs_start;

	enum section_kind sec;
	const char *sec_name;        /* SEC_FIXED: the table's section name */
	size_t inst;                 /* SEC_INSTANCE: index in cfg->instances */
	const struct config_section_def *inst_def;  /* SEC_INSTANCE: its keys */
	int key_line[CONFIG_KEYS_MAX];          /* line a fixed key was set on; 0 = not */
	bool key_bad[CONFIG_KEYS_MAX];          /* its value was rejected */
	int pkey_line[CONFIG_SECTION_KEYS_MAX]; /* same for the current instance */
	bool pkey_file[CONFIG_SECTION_KEYS_MAX]; /* given as <key>_file */
};

/* Takes ownership of msg (NULL means its allocation failed). */
static int errs_push(struct config_errors *errs, char *msg)
{
	if (!msg)
		return -ENOMEM;
	if (errs->n == errs->cap) {
		size_t cap = errs->cap ? errs->cap * 2 : 8;
		char **m = realloc(errs->msgs, cap * sizeof *m);

		if (!m) {
			free(msg);
			return -ENOMEM;
		}
		errs->msgs = m;
		errs->cap = cap;
	}
	errs->msgs[errs->n++] = msg;
	return 0;
}

static void add_error(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_error(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = config_vprintf(fmt, ap);
	va_end(ap);
	if (!msg || errs_push(p->errs, config_printf("%s:%d: %s", p->path, line, msg)) < 0)
		p->oom = true;
	free(msg);
}

/* Whether this load already reported something on `line`. */
static bool error_at_line(const struct parser *p, int line)
{
	char prefix[32];
	size_t plen = strlen(p->path);
	int n = snprintf(prefix, sizeof prefix, ":%d: ", line);

	for (size_t i = p->errs_start; i < p->errs->n; i++) {
		const char *m = p->errs->msgs[i];

		if (strncmp(m, p->path, plen) == 0 && strncmp(m + plen, prefix, (size_t)n) == 0)
			return true;
	}
	return false;
}

/* Required keys of an instance are checked when its section ends. */
static void finish_section(struct parser *p)
{
	const struct config_instance *in;

	if (p->sec != SEC_INSTANCE)
		return;
	in = &p->cfg->instances[p->inst];
	for (size_t i = 0; i < p->inst_def->n_keys; i++) {
		const struct config_key_def *k = &p->inst_def->keys[i];

		const char *mode = config_instance_get(in, "mode");

		if (!k->required || p->pkey_line[i])
			continue;
		if (k->webhook_only && mode && strcmp(mode, "stream") == 0)
			continue;
		if (k->is_secret)
			add_error(p, in->line, "[%s:%s]: missing required key \"%s\" (or \"%s_file\")",
			          in->platform, in->name, k->key, k->key);
		else
			add_error(p, in->line, "[%s:%s]: missing required key \"%s\"", in->platform,
			          in->name, k->key);
	}
}

/* name is the trimmed text between the brackets; it may be modified. */
static void start_section(struct parser *p, char *name)
{
	char e1[CONFIG_ESC_MAX], e2[CONFIG_ESC_MAX], known[128];
	const struct config_section_def *def;
	const struct config_instance *dup;
	const char *fixed, *platform, *iname;
	char *colon;
	bool ok = true;

	finish_section(p);
	p->sec = SEC_SKIP;
	fixed = config_section_find(name);
	if (fixed) {
		p->sec = SEC_FIXED;
		p->sec_name = fixed;
		if (!p->cfg->daemon_line && strcmp(fixed, "daemon") == 0)
			p->cfg->daemon_line = p->line;
		return;
	}
	colon = strchr(name, ':');
	if (!colon) {
		add_error(p, p->line, "unknown section [%s]", config_escape(name, e1, sizeof e1));
		return;
	}
	*colon = '\0';
	platform = name;
	iname = colon + 1;
	config_escape(platform, e1, sizeof e1);
	config_escape(iname, e2, sizeof e2);
	def = config_section_def_find(platform);
	if (!def) {
		config_platform_names(known, sizeof known);
		add_error(p, p->line, "unknown platform \"%s\" in [%s:%s] (known: %s)", e1, e1, e2,
		          known);
		ok = false;
	}
	if (!config_instance_name_valid(iname)) {
		add_error(p, p->line,
		          "bad instance name \"%s\" in [%s:%s]: use 1 to 32 characters from "
		          "A-Z a-z 0-9 _ -",
		          e2, e1, e2);
		ok = false;
	}
	if (!ok)
		return;
	dup = config_instance_find(p->cfg, platform, iname);
	if (dup) {
		add_error(p, p->line, "duplicate section [%s:%s] (first on line %d)", platform, iname,
		          dup->line);
		return;
	}
	if (config_instance_add(p->cfg, platform, iname, p->line) < 0) {
		p->oom = true;
		return;
	}
	p->sec = SEC_INSTANCE;
	p->inst = p->cfg->n_instances - 1;
	p->inst_def = def;
	memset(p->pkey_line, 0, sizeof p->pkey_line);
	memset(p->pkey_file, 0, sizeof p->pkey_file);
}

static void fixed_key(struct parser *p, const char *key, const char *value)
{
	char ek[CONFIG_ESC_MAX], ev[CONFIG_ESC_MAX];
	const struct config_key *k = config_key_find(p->sec_name, key);
	size_t i;
	char *why;
	int rc;

	if (!k) {
		add_error(p, p->line, "unknown key \"%s\" in [%s]", config_escape(key, ek, sizeof ek),
		          p->sec_name);
		return;
	}
	i = (size_t)(k - config_keys);
	if (p->key_line[i]) {
		add_error(p, p->line, "duplicate key \"%s\" in [%s] (first set on line %d)", k->key,
		          k->section, p->key_line[i]);
		return;
	}
	p->key_line[i] = p->line;
	rc = config_key_apply(p->cfg, k, value, &why);
	if (rc == -ENOMEM) {
		p->oom = true;
	} else if (rc < 0) {
		p->key_bad[i] = true;
		add_error(p, p->line, "%s: %s, got \"%s\"", k->key, why,
		          config_escape(value, ev, sizeof ev));
	}
	free(why);
}

static void instance_key(struct parser *p, const char *key, const char *value)
{
	struct config_instance *in = &p->cfg->instances[p->inst];
	char ek[CONFIG_ESC_MAX], ev[CONFIG_ESC_MAX];
	const struct config_section_def *def = p->inst_def;
	const struct config_key_def *k;
	size_t len = strlen(key);
	bool from_file = false;
	char *why = NULL, *v = NULL;
	int i, rc;

	i = config_platform_key_find(def, key, len);
	if (i < 0 && len > 5 && strcmp(key + len - 5, "_file") == 0) {
		i = config_platform_key_find(def, key, len - 5);
		if (i >= 0 && !def->keys[i].is_secret)
			i = -1;
		from_file = true;
	}
	if (i < 0) {
		add_error(p, p->line, "unknown key \"%s\" in [%s:%s]",
		          config_escape(key, ek, sizeof ek), in->platform, in->name);
		return;
	}
	k = &def->keys[i];
	if (p->pkey_line[i] && p->pkey_file[i] == from_file) {
		add_error(p, p->line, "duplicate key \"%s\" in [%s:%s] (first set on line %d)", key,
		          in->platform, in->name, p->pkey_line[i]);
		return;
	}
	if (p->pkey_line[i]) {
		add_error(p, p->line, "%s and %s_file are both given (the other on line %d); use one",
		          k->key, k->key, p->pkey_line[i]);
		return;
	}
	p->pkey_line[i] = p->line;
	p->pkey_file[i] = from_file;

	if (from_file && !*value) {
		add_error(p, p->line, "%s: expected a file path, got \"\"", key);
		return;
	}
	if (from_file) {
		rc = config_secret_read(p->dir, value, &v, &why);
		/* What the file holds must pass the checks an inline value does. */
		if (rc == 0 && (rc = config_platform_value_check(k, v, &why)) < 0) {
			config_wipe_free(v);
			v = NULL;
		}
	} else {
		rc = config_platform_value_check(k, value, &why);
	}
	if (rc < 0 && !why) {
		p->oom = true;
	} else if (rc < 0) {
		/* The value is shown only when it is neither a secret nor a path to
		 * one (and not empty: "must not be empty" says it all). */
		if (from_file || k->is_secret || !*value)
			add_error(p, p->line, "%s: %s", key, why);
		else
			add_error(p, p->line, "%s: %s, got \"%s\"", key, why,
			          config_escape(value, ev, sizeof ev));
	} else if (!from_file && !(v = strdup(value))) {
		p->oom = true;
	} else if (config_kv_add(in, k->key, v, p->line) < 0) {
		p->oom = true;
	}
	free(why);
}

/* inih's handler. `section` is always "": inih never sees the headers. */
static int on_key(void *user, const char *section, const char *key, const char *value)
{
	struct parser *p = user;
	char ek[CONFIG_ESC_MAX];

	(void)section;
	switch (p->sec) {
	case SEC_NONE:
		add_error(p, p->line, "key \"%s\" is outside any section",
		          config_escape(key, ek, sizeof ek));
		break;
	case SEC_FIXED:
		fixed_key(p, key, value);
		break;
	case SEC_INSTANCE:
		instance_key(p, key, value);
		break;
	case SEC_SKIP:
		break;
	}
	return 1;
}

/* Where inih would split name from value: the first '=' or ':' before an
 * inline comment (a ';' after whitespace). NULL if there is none. */
static const char *find_separator(const char *s)
{
	bool was_space = false;

	for (; *s; s++) {
		if (*s == '=' || *s == ':')
			return s;
		if (was_space && *s == ';')
			return NULL;
		was_space = isspace((unsigned char)*s);
	}
	return NULL;
}

/* A "[...]" line; s is trimmed and NUL-terminated. */
static void section_line(struct parser *p, char *s)
{
	char *close = strchr(s, ']');
	char *rest, *name, *end;

	if (close) {
		for (rest = close + 1; isspace((unsigned char)*rest); rest++)
			;
		if (*rest && *rest != ';' && *rest != '#') {
			finish_section(p);
			p->sec = SEC_SKIP;
			add_error(p, p->line, "syntax error: unexpected text after ']'");
			return;
		}
	} else {
		finish_section(p);
		p->sec = SEC_SKIP;
		add_error(p, p->line, "syntax error: '[' without a closing ']'");
		return;
	}
	for (end = close; end > s + 1 && isspace((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	for (name = s + 1; isspace((unsigned char)*name); name++)
		;
	start_section(p, name);
}

/* inih's reader: one physical line per call, see the comment at the top. */
static char *read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	ssize_t got = getline(&p->buf, &p->buf_cap, p->fp);
	const char *sep;
	size_t len;
	char *s;

	if (got < 0) {
		if (ferror(p->fp))
			p->read_errno = errno ? errno : EIO;
		return NULL;
	}
	p->line++;
	str[0] = '\0';
	s = p->buf;
	len = (size_t)got;
	if (memchr(s, '\0', len)) {
		add_error(p, p->line, "syntax error: NUL byte in line");
		return str;
	}
	if (p->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	/* Trimming both ends also keeps inih from taking an indented line as the
	 * continuation of the previous value. */
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	s[len] = '\0';
	while (isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	if (len == 0 || *s == ';' || *s == '#')
		return str;
	if (!p->cfg->first_line)
		p->cfg->first_line = p->line;
	if (*s == '[') {
		section_line(p, s);
		return str;
	}
	sep = find_separator(s);
	if (!sep) {
		add_error(p, p->line, "syntax error: expected \"key = value\", \"[section]\" or a comment");
		return str;
	}
	if (sep == s) {
		add_error(p, p->line, "syntax error: missing key name before '%c'", *sep);
		return str;
	}
	/* inih's line buffer is num bytes: the line, '\n' and NUL must fit. */
	if (num < 2 || len > (size_t)num - 2) {
		add_error(p, p->line, "line too long (at most %d characters; put long secrets in a "
		          "<key>_file)", num - 2);
		return str;
	}
	memcpy(str, s, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return str;
}

/* The clerk role needs a region scope; other roles must not have one. */
static void check_console(struct parser *p)
{
	size_t ri = (size_t)(config_key_find("daemon", "console_role") - config_keys);
	size_t si = (size_t)(config_key_find("daemon", "console_scope") - config_keys);
	bool clerk = strcmp(p->cfg->console_role, "clerk") == 0;

	if (p->key_bad[ri] || p->key_bad[si])
		return;
	if (clerk && !p->cfg->console_scope)
		add_error(p, p->key_line[ri], "console_scope is required when console_role = clerk");
	else if (!clerk && p->cfg->console_scope)
		add_error(p, p->key_line[si], "console_scope is only used when console_role = clerk");
}

/* Every body is counted against max_body_memory with its terminating NUL:
 * a limit not above max_body_bytes would refuse the largest allowed body. */
static void check_body_memory(struct parser *p)
{
	size_t bi = (size_t)(config_key_find("http", "max_body_bytes") - config_keys);
	size_t mi = (size_t)(config_key_find("http", "max_body_memory") - config_keys);

	if (p->key_bad[bi] || p->key_bad[mi] || p->cfg->max_body_memory > p->cfg->max_body_bytes)
		return;
	add_error(p, p->key_line[mi] ? p->key_line[mi] : p->key_line[bi],
	          "max_body_memory (%zu) must be more than max_body_bytes (%zu), or no body of "
	          "the largest allowed size could be taken", p->cfg->max_body_memory,
	          p->cfg->max_body_bytes);
}

int config_load(const char *path, struct config **out, struct config_errors *errs)
{
	struct parser p = {.path = path, .errs = errs, .errs_start = errs->n, .sec = SEC_NONE};
	int rc;

	*out = NULL;
	p.fp = fopen(path, "re");
	if (!p.fp) {
		rc = -errno;
		if (errs_push(errs, config_printf("%s: cannot open: %s", path, strerror(-rc))) < 0)
			return -ENOMEM;
		return rc;
	}
	p.cfg = config_defaults();
	p.dir = path_dir(path);
	if (!p.cfg || !p.dir || !(p.cfg->path = strdup(path))) {
		p.oom = true;
	} else {
		rc = ini_parse_stream(read_line, &p, on_key, &p);
		/* The reader hands inih only lines it accepts, so inih should find
		 * nothing; if it does, report that line unless we already have. */
		if (rc > 0 && !error_at_line(&p, rc))
			add_error(&p, rc, "syntax error");
		else if (rc < 0)
			p.oom = true;
		finish_section(&p);
		check_console(&p);
		check_body_memory(&p);
		if (p.read_errno && errs_push(errs, config_printf("%s: cannot read: %s", path,
		                                                  strerror(p.read_errno))) < 0)
			p.oom = true;
	}
	fclose(p.fp);
	if (p.buf) {
		explicit_bzero(p.buf, p.buf_cap);
		free(p.buf);
	}
	free(p.dir);

	if (p.oom)
		rc = -ENOMEM;
	else if (p.read_errno)
		rc = -p.read_errno;
	else if (errs->n > p.errs_start)
		rc = -EINVAL;
	else
		rc = 0;
	if (rc == 0)
		*out = p.cfg;
	else
		config_free(p.cfg);
	return rc;
}
