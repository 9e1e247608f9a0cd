/*
 * The lifetime of struct config and struct config_errors: building instances
 * while loading, freeing, and lookups. Instance values include secrets, so
 * they are wiped before being freed.
 */
#include "config_keys.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void config_wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Takes ownership of value. */
int config_kv_add(struct config_instance *in, const char *key, char *value, int line)
{
	struct config_kv *kv;
	char *k = strdup(key);

	/* One realloc per key: instances have a handful of keys. */
	kv = k ? realloc(in->kv, (in->n_kv + 1) * sizeof *kv) : NULL;
	if (!kv) {
		free(k);
		config_wipe_free(value);
		return -ENOMEM;
	}
	in->kv = kv;
	in->kv[in->n_kv++] = (struct config_kv){.key = k, .value = value, .line = line};
	return 0;
}

int config_instance_add(struct config *cfg, const char *platform, const char *name, int line)
{
	struct config_instance *v, *in;

	v = realloc(cfg->instances, (cfg->n_instances + 1) * sizeof *v);
	if (!v)
		return -ENOMEM;
	cfg->instances = v;
	in = &v[cfg->n_instances++];
	*in = (struct config_instance){.platform = strdup(platform), .name = strdup(name),
	                               .line = line};
	return in->platform && in->name ? 0 : -ENOMEM;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->listen);
	free(cfg->database);
	free(cfg->data_dir);
	free(cfg->console_role);
	free(cfg->console_scope);
	free(cfg->ca_file);
	free(cfg->outbox_admin_dest);
	free(cfg->trusted_proxies);
	for (size_t i = 0; i < cfg->n_instances; i++) {
		struct config_instance *in = &cfg->instances[i];

		for (size_t j = 0; j < in->n_kv; j++) {
			free(in->kv[j].key);
			/* Instance values include the secrets. */
			config_wipe_free(in->kv[j].value);
		}
		free(in->kv);
		free(in->platform);
		free(in->name);
	}
	free(cfg->instances);
	free(cfg);
}

void config_errors_free(struct config_errors *errs)
{
	if (!errs)
		return;
	for (size_t i = 0; i < errs->n; i++)
		free(errs->msgs[i]);
	free(errs->msgs);
	*errs = (struct config_errors){0};
}

const struct config_instance *config_instance_find(const struct config *cfg,
                                                   const char *platform, const char *name)
{
	if (!cfg)
		return NULL;
	for (size_t i = 0; i < cfg->n_instances; i++) {
		const struct config_instance *in = &cfg->instances[i];

		if (in->platform && in->name && strcmp(in->platform, platform) == 0 &&
		    strcmp(in->name, name) == 0)
			return in;
	}
	return NULL;
}

const char *config_instance_get(const struct config_instance *inst, const char *key)
{
	if (!inst)
		return NULL;
	for (size_t i = 0; i < inst->n_kv; i++)
		if (strcmp(inst->kv[i].key, key) == 0)
			return inst->kv[i].value;
	return NULL;
}
