#ifndef SMARTCONTENT_EVENTLOG_SUPPORT_H
#define SMARTCONTENT_EVENTLOG_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli) of `length` bytes, continuing from `crc` (pass 0 to start).
uint32_t smartcontent_crc32c(uint32_t crc, const void *bytes, size_t length);

/// Fills `buffer` with `length` bytes from the kernel's CSPRNG; returns 0 on success.
int smartcontent_random_bytes(void *buffer, size_t length);

#endif
