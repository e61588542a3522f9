/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target for the address parsers: every flag combination, the
 * two-argument form, CIDR parsing and formatting back.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int flags[] = {0, ADDR_F_SERVER, ADDR_F_PORT_OPTIONAL,
	    ADDR_F_NO_PORT, ADDR_F_SERVER | ADDR_F_PORT_OPTIONAL};
	struct addr_spec spec;
	struct addr_cidr cidr;
	char err[ADDR_ERRLEN], buf[ADDR_STRLEN * 4], *s, *sep;
	size_t i;

	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		if (addr_parse(s, flags[i], &spec, err, sizeof err) == 0) {
			/* What parsed must format back and parse again. */
			addr_spec_format(&spec, buf, sizeof buf);
			if (spec.port[0] != '\0' && spec.host[0] != '\0' &&
			    addr_parse(buf, flags[i], &spec, err, sizeof err) !=
				0)
				abort();
		} else if (strlen(err) >= sizeof err ||
		    strchr(err, '\n') != NULL)
			abort();
	}
	if (addr_parse_cidr(s, &cidr, err, sizeof err) == 0 &&
	    (cidr.prefix < 0 || cidr.prefix > 128))
		abort();
	sep = memchr(s, ' ', size);
	if (sep != NULL) {
		*sep = '\0';
		(void)addr_parse_pair(s, sep + 1, 0, &spec, err, sizeof err);
	}
	(void)addr_check_port(s, 1, err, sizeof err);
	free(s);
	return 0;
}
