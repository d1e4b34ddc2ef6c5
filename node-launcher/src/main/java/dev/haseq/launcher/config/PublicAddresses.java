package dev.haseq.launcher.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Tells whether a configured host is an IP address on the public internet, for the operator
 * guide's network rule: the Raft port is plain TCP and must never be reachable from there.
 * Host names are never resolved (loading a configuration does no DNS): only IP literals are judged.
 */
final class PublicAddresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** What an IPv6 literal is made of; anything else would make InetAddress resolve it as a name. */
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private PublicAddresses() {
    }

    /**
     * True for an IP literal that is routable on the public internet; false for a host name and for
     * wildcard, loopback, private (RFC 1918), link-local, shared (100.64.0.0/10, e.g. Tailscale),
     * unique-local IPv6 (fc00::/7) and multicast addresses.
     */
    static boolean isPublic(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress a;
        try {
            if (IPV4.matcher(h).matches()) {
                byte[] b = new byte[4];
                String[] parts = h.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        return false; // not an address
                    }
                    b[i] = (byte) octet;
                }
                a = InetAddress.getByAddress(b);
            } else if (IPV6.matcher(h).matches()) {
                a = InetAddress.getByName(h); // an IPv6 literal is parsed, never looked up
            } else {
                return false; // a host name
            }
        } catch (UnknownHostException e) {
            return false;
        }
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return !((b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64); // 100.64.0.0/10, carrier-grade NAT and meshes
        }
        return !(a instanceof Inet6Address) || (b[0] & 0xfe) != 0xfc; // fc00::/7, unique local
    }
}
