/**
 * C-compatible struct layouts for Java records and C member declarations: native alignment or
 * packed, native or network byte order, checked against gcc.
 */
package io.jipc.struct;
