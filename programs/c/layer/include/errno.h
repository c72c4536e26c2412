/* wasmux C layer: <errno.h> = wasi-libc's (WASI numbering, which the kernel
 * returns) plus every Linux errno name it lacks, with the values of
 * abi/errno.ts (the one errno table; a test checks they agree). */
#ifndef __wasmux_errno_h
#define __wasmux_errno_h
#include_next <errno.h>
#define ENOTBLK 77
#define ECHRNG 78
#define EL2NSYNC 79
#define EL3HLT 80
#define EL3RST 81
#define ELNRNG 82
#define EUNATCH 83
#define ENOCSI 84
#define EL2HLT 85
#define EBADE 86
#define EBADR 87
#define EXFULL 88
#define ENOANO 89
#define EBADRQC 90
#define EBADSLT 91
#define EBFONT 92
#define ENOSTR 93
#define ENODATA 94
#define ETIME 95
#define ENOSR 96
#define ENONET 97
#define ENOPKG 98
#define EREMOTE 99
#define EADV 100
#define ESRMNT 101
#define ECOMM 102
#define EDOTDOT 103
#define ENOTUNIQ 104
#define EBADFD 105
#define EREMCHG 106
#define ELIBACC 107
#define ELIBBAD 108
#define ELIBSCN 109
#define ELIBMAX 110
#define ELIBEXEC 111
#define ERESTART 112
#define ESTRPIPE 113
#define EUSERS 114
#define ESOCKTNOSUPPORT 115
#define EPFNOSUPPORT 116
#define ESHUTDOWN 117
#define ETOOMANYREFS 118
#define EHOSTDOWN 119
#define EUCLEAN 120
#define ENOTNAM 121
#define ENAVAIL 122
#define EISNAM 123
#define EREMOTEIO 124
#define ENOMEDIUM 125
#define EMEDIUMTYPE 126
#define ENOKEY 127
#define EKEYEXPIRED 128
#define EKEYREVOKED 129
#define EKEYREJECTED 130
#define ERFKILL 131
#define EHWPOISON 132
#define EDEADLOCK EDEADLK
#endif
