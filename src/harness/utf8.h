/*
 * src/harness/utf8.h — UTF-8 checks shared by the CSV writer (csv_write.c)
 * and reader (csv_read.c): the writer refuses a cell that is not UTF-8, the
 * reader a file that is not.
 *
 * Pure functions on a byte range, any thread; no allocation; one pass over
 * the bytes (a few ns per byte).
 */
#ifndef DMABENCH_HARNESS_UTF8_H
#define DMABENCH_HARNESS_UTF8_H

#include <stddef.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (Unicode 15, table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 if invalid. */
static inline size_t utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (avail < n)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* 1 if s[0..len) is UTF-8 without a NUL byte, else 0 */
static inline int utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0, n; i < len; i += n) {
		n = utf8_seq(p + i, len - i);
		if (n == 0 || (n == 1 && p[i] == 0))
			return 0;
	}
	return 1;
}

/* 1 if s starts with a UTF-8 byte-order mark */
static inline int utf8_has_bom(const char *s, size_t len)
{
	return len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3);
}

#endif
