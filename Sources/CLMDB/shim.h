#ifndef SMARTCONTENT_CLMDB_SHIM_H
#define SMARTCONTENT_CLMDB_SHIM_H

#include <lmdb.h>

// Swift cannot import function-like macros or negative enum constants cleanly;
// these give them names Swift can see.
static inline int clmdb_success(void) { return MDB_SUCCESS; }
static inline int clmdb_notfound(void) { return MDB_NOTFOUND; }
static inline int clmdb_keyexist(void) { return MDB_KEYEXIST; }
static inline int clmdb_map_full(void) { return MDB_MAP_FULL; }
static inline int clmdb_map_resized(void) { return MDB_MAP_RESIZED; }
static inline int clmdb_txn_full(void) { return MDB_TXN_FULL; }
static inline int clmdb_readers_full(void) { return MDB_READERS_FULL; }
static inline int clmdb_corrupted(void) { return MDB_CORRUPTED; }
static inline int clmdb_bad_valsize(void) { return MDB_BAD_VALSIZE; }

#endif
