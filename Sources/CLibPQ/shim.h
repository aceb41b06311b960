// The libpq client headers. Debian's libpq-dev puts them in /usr/include/postgresql, which
// pkg-config reports; the fallback keeps the build working where pkg-config is missing.
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#else
#include <postgresql/libpq-fe.h>
#endif
