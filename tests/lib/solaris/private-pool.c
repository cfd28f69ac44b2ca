/*
 * Solaris-style door program: a door with a private thread pool and its
 * own thread creation function (door_server_create), capped at MAXTHR
 * threads with a thread-specific-data destructor, as nscd does.
 * Several client threads call it at once; every call must be served by
 * a thread bound to the door (door_info(DOOR_QUERY) says which).
 * Compiles unchanged on Solaris: cc private-pool.c -ldoor -lpthread
 */
#include <door.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define	MAXTHR		4
#define	NCLIENTS	8
#define	NCALLS		50

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static pthread_key_t key;
static int door_fd = -1;
static int nthreads;

static void thread_gone(void *arg)
{
	(void) pthread_mutex_lock(&lock);
	nthreads--;
	(void) pthread_mutex_unlock(&lock);
}

static void *server_thread(void *arg)
{
	int fd;

	(void) pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	(void) pthread_setspecific(key, &key);
	/* The first threads start inside door_create, before we have the fd. */
	(void) pthread_mutex_lock(&lock);
	while (door_fd < 0)
		(void) pthread_cond_wait(&ready, &lock);
	fd = door_fd;
	(void) pthread_mutex_unlock(&lock);
	if (door_bind(fd) < 0) {
		perror("door_bind");
		return (NULL);
	}
	(void) door_return(NULL, 0, NULL, 0);
	return (NULL);
}

static void create_server(door_info_t *dip)
{
	pthread_t tid;
	pthread_attr_t attr;

	if (dip == NULL)
		return;		/* no shared pool in this program */
	(void) pthread_mutex_lock(&lock);
	if (nthreads >= MAXTHR) {
		(void) pthread_mutex_unlock(&lock);
		return;
	}
	nthreads++;
	(void) pthread_mutex_unlock(&lock);
	(void) pthread_attr_init(&attr);
	(void) pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&tid, &attr, server_thread, NULL) != 0)
		thread_gone(NULL);
	(void) pthread_attr_destroy(&attr);
}

static void serve(void *cookie, char *argp, size_t arg_size,
    door_desc_t *dp, uint_t n_desc)
{
	door_info_t info;
	door_id_t id = 0;

	if (door_info(DOOR_QUERY, &info) == 0)
		id = info.di_uniquifier;
	(void) door_return((char *)&id, sizeof (id), NULL, 0);
}

static door_id_t my_id;
static int failures;

static void *client(void *arg)
{
	door_id_t got;
	door_arg_t da;
	int i;

	for (i = 0; i < NCALLS; i++) {
		da.data_ptr = NULL;
		da.data_size = 0;
		da.desc_ptr = NULL;
		da.desc_num = 0;
		da.rbuf = (char *)&got;
		da.rsize = sizeof (got);
		if (door_call(door_fd, &da) != 0 || da.data_size != sizeof (got) ||
		    got != my_id) {
			(void) pthread_mutex_lock(&lock);
			failures++;
			(void) pthread_mutex_unlock(&lock);
		}
	}
	return (NULL);
}

int main(void)
{
	pthread_t clients[NCLIENTS];
	door_info_t info;
	int did, i;

	(void) pthread_key_create(&key, thread_gone);
	(void) door_server_create(create_server);
	if ((did = door_create(serve, NULL, DOOR_PRIVATE | DOOR_NO_CANCEL)) < 0) {
		perror("door_create");
		return (1);
	}
	if (door_info(did, &info) != 0) {
		perror("door_info");
		return (1);
	}
	my_id = info.di_uniquifier;
	(void) pthread_mutex_lock(&lock);
	door_fd = did;
	(void) pthread_cond_broadcast(&ready);
	(void) pthread_mutex_unlock(&lock);

	for (i = 0; i < NCLIENTS; i++)
		(void) pthread_create(&clients[i], NULL, client, NULL);
	for (i = 0; i < NCLIENTS; i++)
		(void) pthread_join(clients[i], NULL);
	(void) pthread_mutex_lock(&lock);
	(void) printf("%d calls, %d failed, %d server threads (at most %d)\n",
	    NCLIENTS * NCALLS, failures, nthreads, MAXTHR);
	i = failures == 0 && nthreads >= 1 && nthreads <= MAXTHR;
	(void) pthread_mutex_unlock(&lock);
	return (i ? 0 : 1);
}
