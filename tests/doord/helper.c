/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"

#define ALLOW_ALL "{ \"rules\": [ { \"operations\": [\"attach\", \"lookup\"], \"action\": \"allow\" } ]," \
	" \"limits\": [ { \"attachments\": \"infinity\", \"lookups_per_second\": \"infinity\" } ] }"

static void *reader(void *arg);

const char *doord_binary(void)
{
	const char *e = getenv("DOORD_BINARY");

	return e ? e : DOORD_BUILD_PATH;
}

int doord_write_policy(struct doord_proc *p, const char *name, const char *json)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", p->confdir, name);
	if (strchr(name, '/')) {
		char dir[600];

		snprintf(dir, sizeof(dir), "%s", path);
		*strrchr(dir, '/') = '\0';
		(void)mkdir(dir, 0755);
	}
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fputs(json, f);
	return fclose(f) == 0 ? 0 : -errno;
}

int doord_prepare(struct doord_proc *p, const char *policy)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(p, 0, sizeof(*p));
	p->pid = -1;
	p->notify_fd = -1;
	snprintf(p->dir, sizeof(p->dir), "/tmp/doord-test-XXXXXX");
	if (!mkdtemp(p->dir))
		return -errno;
	(void)chmod(p->dir, 0755);
	snprintf(p->socket, sizeof(p->socket), "%s/bus", p->dir);
	snprintf(p->confdir, sizeof(p->confdir), "%s/conf", p->dir);
	snprintf(p->notify_path, sizeof(p->notify_path), "%s/notify", p->dir);
	if (mkdir(p->confdir, 0755) < 0)
		return -errno;
	if (doord_write_policy(p, "doord.json", policy ? policy : ALLOW_ALL) < 0)
		return -errno;
	p->notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p->notify_fd < 0)
		return -errno;
	strcpy(sa.sun_path, p->notify_path);
	if (bind(p->notify_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->stop = false;
	if (pthread_create(&p->thread, NULL, reader, p) != 0)
		return -EAGAIN;
	p->thread_running = true;
	return 0;
}

/* In the child: passed descriptors go to 3, 4, ... as sd_listen_fds
 * expects, with LISTEN_PID set to the doord process itself. */
static void pass_fds(const int *fds, const char *names, int n)
{
	char buf[32];
	int i, *tmp = malloc(sizeof(int) * (size_t)n);

	if (!tmp)
		_exit(126);
	/* Out of the way of 3..3+n first, then into place. */
	for (i = 0; i < n; i++)
		tmp[i] = fcntl(fds[i], F_DUPFD, 3 + n);
	for (i = 0; i < n; i++) {
		dup2(tmp[i], 3 + i);
		close(tmp[i]);
	}
	snprintf(buf, sizeof(buf), "%d", n);
	setenv("LISTEN_FDS", buf, 1);
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	setenv("LISTEN_PID", buf, 1);
	if (names)
		setenv("LISTEN_FDNAMES", names, 1);
}

int doord_start_fds(struct doord_proc *p, const char *extra_env, const int *fds,
		    const char *names, int n)
{
	char *ready, log[400];

	snprintf(log, sizeof(log), "%s/log", p->dir);
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		setenv("NOTIFY_SOCKET", p->notify_path, 1);
		if (extra_env)
			putenv((char *)extra_env);
		if (n > 0)
			pass_fds(fds, names, n);
		execl(doord_binary(), "doord", "--socket", p->socket, "--config-dir", p->confdir,
		      (char *)NULL);
		_exit(127);
	}
	/* Short slices, so a doord that exits early is noticed at once. */
	for (int i = 0; i < 200; i++) {
		int status;

		ready = doord_notify_wait(p, "READY=1", 100);
		if (ready) {
			free(ready);
			return 0;
		}
		if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
			p->pid = -1;
			p->exit_status = status;
			return -ECHILD;
		}
	}
	return -ETIMEDOUT;
}

int doord_start(struct doord_proc *p, const char *extra_env)
{
	return doord_start_fds(p, extra_env, NULL, NULL, 0);
}

char *doord_read_log(const struct doord_proc *p)
{
	char path[400], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/log", p->dir);
	f = fopen(path, "re");
	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

int doord_wait_exit(struct doord_proc *p, int timeout_ms)
{
	int status, i;

	for (i = 0; i < timeout_ms / 10; i++) {
		pid_t r = waitpid(p->pid, &status, WNOHANG);

		if (r == p->pid) {
			p->pid = -1;
			return status;
		}
		usleep(10000);
	}
	return -1;
}

int doord_start_default(struct doord_proc *p)
{
	int r = doord_prepare(p, NULL);

	return r < 0 ? r : doord_start(p, NULL);
}

static void fdname_of(const char *msg, char *name, size_t size)
{
	const char *f = strstr(msg, "FDNAME=");
	size_t n;

	name[0] = '\0';
	if (!f)
		return;
	f += 7;
	n = strcspn(f, "\n");
	snprintf(name, size, "%.*s", (int)n, f);
}

static void store_add(struct fake_store *s, int fd, const char *msg)
{
	fdname_of(msg, s->names[s->n], sizeof(s->names[0]));
	s->fds[s->n++] = fd;
}

static void store_remove(struct fake_store *s, const char *msg)
{
	char name[256];
	int i, j;

	fdname_of(msg, name, sizeof(name));
	for (i = 0, j = 0; i < s->n; i++) {
		if (strcmp(s->names[i], name) == 0) {
			close(s->fds[i]);
			continue;
		}
		s->fds[j] = s->fds[i];
		memmove(s->names[j], s->names[i], sizeof(s->names[0]));
		j++;
	}
	s->n = j;
}

void doord_notify_drain(struct doord_proc *p, int timeout_ms)
{
	char *m;

	while ((m = doord_notify_recv(p, timeout_ms)))
		free(m);
}

int doord_start_from_store(struct doord_proc *p)
{
	static char names[FAKE_STORE_MAX * 64];
	int i;

	names[0] = '\0';
	for (i = 0; i < p->store->n; i++) {
		if (i)
			strcat(names, ":");
		strcat(names, p->store->names[i]);
	}
	return doord_start_fds(p, NULL, p->store->fds, names, p->store->n);
}

static char *recv_datagram(struct doord_proc *p, int timeout_ms)
{
	struct pollfd pfd = { .fd = p->notify_fd, .events = POLLIN };
	char buf[4096], cbuf[CMSG_SPACE(sizeof(int) * 16)];

	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	ssize_t n;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return NULL;
	n = recvmsg(p->notify_fd, &mh, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int *fds = (int *)CMSG_DATA(c);
			size_t i, k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (i = 0; i < k; i++) {
				if (p->store && strstr(buf, "FDSTORE=1") && p->store->n < FAKE_STORE_MAX)
					store_add(p->store, fds[i], buf);
				else
					close(fds[i]);
			}
		}
	}
	if (p->store && strstr(buf, "FDSTOREREMOVE=1"))
		store_remove(p->store, buf);
	return strdup(buf);
}

/*
 * Like a real service manager, a thread reads the notify socket all the
 * time: doord's sd_notify() blocks when the socket's queue is full
 * (net.unix.max_dgram_qlen is 10 where systemd did not raise it).
 */
struct msg {
	struct msg *next;
	char *text;
};

static void *reader(void *arg)
{
	struct doord_proc *p = arg;

	while (!p->stop) {
		char *m;
		struct msg *e;

		pthread_mutex_lock(&p->lock);
		m = recv_datagram(p, 0);
		pthread_mutex_unlock(&p->lock);
		if (!m) {
			struct pollfd pfd = { .fd = p->notify_fd, .events = POLLIN };

			(void)poll(&pfd, 1, 50);
			continue;
		}
		e = calloc(1, sizeof(*e));
		if (!e) {
			free(m);
			continue;
		}
		e->text = m;
		pthread_mutex_lock(&p->lock);
		if (p->tail)
			((struct msg *)p->tail)->next = e;
		else
			p->head = e;
		p->tail = e;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

char *doord_notify_recv(struct doord_proc *p, int timeout_ms)
{
	struct timespec ts;
	struct msg *e;
	char *m = NULL;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	while (!p->head)
		if (pthread_cond_timedwait(&p->cond, &p->lock, &ts) != 0)
			break;
	e = p->head;
	if (e) {
		p->head = e->next;
		if (!p->head)
			p->tail = NULL;
		m = e->text;
		free(e);
	}
	pthread_mutex_unlock(&p->lock);
	return m;
}

char *doord_notify_wait(struct doord_proc *p, const char *needle, int timeout_ms)
{
	struct timespec ts;
	long long end, now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	end = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + timeout_ms;
	for (;;) {
		char *m;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
		if (now >= end)
			return NULL;
		m = doord_notify_recv(p, (int)(end - now));
		if (!m)
			return NULL;
		if (strstr(m, needle))
			return m;
		if (strlen(p->seen) + strlen(m) + 2 < sizeof(p->seen)) {
			strcat(p->seen, m);
			strcat(p->seen, "\n");
		}
		free(m);
	}
}

sd_bus *doord_connect_auth(const struct doord_proc *p, bool anonymous)
{
	char address[400];
	sd_bus *bus = NULL;

	snprintf(address, sizeof(address), "unix:path=%s", p->socket);
	if (sd_bus_new(&bus) < 0)
		return NULL;
	if (sd_bus_set_address(bus, address) < 0 || sd_bus_set_anonymous(bus, anonymous) < 0 ||
	    sd_bus_negotiate_fds(bus, 1) < 0 || sd_bus_start(bus) < 0) {
		sd_bus_unref(bus);
		return NULL;
	}
	return bus;
}

sd_bus *doord_connect(const struct doord_proc *p)
{
	return doord_connect_auth(p, true);
}

int doord_stop(struct doord_proc *p)
{
	int status = -1;

	if (p->pid <= 0)
		return -1;
	kill(p->pid, SIGTERM);
	if (waitpid(p->pid, &status, 0) < 0)
		status = -1;
	p->pid = -1;
	return status;
}

static void rm_rf(const char *dir)
{
	char cmd[600];

	/* Test scratch only: the name always starts with /tmp/doord-test-. */
	if (strncmp(dir, "/tmp/doord-test-", 16) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)system(cmd);
}

void doord_cleanup(struct doord_proc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		p->pid = -1;
	}
	if (p->thread_running) {
		p->stop = true;
		pthread_join(p->thread, NULL);
		p->thread_running = false;
		while (p->head) {
			struct msg *e = p->head;

			p->head = e->next;
			free(e->text);
			free(e);
		}
		p->tail = NULL;
	}
	if (p->notify_fd >= 0)
		close(p->notify_fd);
	p->notify_fd = -1;
	if (p->dir[0])
		rm_rf(p->dir);
}
