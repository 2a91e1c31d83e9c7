#ifndef SMARTCONTENT_CRC32C_H
#define SMARTCONTENT_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli) of `length` bytes, continuing from `crc` (pass 0 to start).
uint32_t smartcontent_crc32c(uint32_t crc, const void *bytes, size_t length);

#endif
