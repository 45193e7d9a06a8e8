package io.sitebridge.transfer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sitebridge.core.PassiveAddressPolicy;
import io.sitebridge.core.session.FtpReply;

/** How a 227 reply's address is read: as the servers in the wild word it, and what a hostile one sends. */
class PasvReplyTest {

    private static FtpReply reply(int code, String text) {
        return new FtpReply(code, List.of(code + " " + text));
    }

    @Test
    void theSixNumbersAreFoundWhereverTheServerPutsThem() {
        assertArrayEquals(new int[] {127, 0, 0, 21, 117, 184},
                DataAddress.pasvNumbers("Entering Passive Mode (127,0,0,21,117,184)."));
        assertArrayEquals(new int[] {10, 1, 2, 3, 4, 5}, DataAddress.pasvNumbers("=10,1,2,3,4,5"));
        assertArrayEquals(new int[] {192, 168, 0, 1, 0, 21},
                DataAddress.pasvNumbers("Passive mode 5 times (192,168,0,1,0,21)"));
        // a run of four digits: the numbers start where three digits are left (as a regex search would)
        assertArrayEquals(new int[] {234, 5, 6, 7, 8, 9}, DataAddress.pasvNumbers("1234,5,6,7,8,9"));
        // the sixth number takes at most three digits: 678, out of range
        assertNull(DataAddress.pasvNumbers("1,2,3,4,5,6789"));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 67}, DataAddress.pasvNumbers("1,2,3,4,5,67)8"));
    }

    @Test
    void malformedOrOutOfRangeRepliesGiveNoAddress() {
        assertNull(DataAddress.pasvNumbers("Entering Passive Mode (127,0,0,1,117)"));
        assertNull(DataAddress.pasvNumbers("Entering Passive Mode (127,0,0,1,,184)"));
        assertNull(DataAddress.pasvNumbers("Entering Passive Mode (300,0,0,1,4,1)"));
        assertNull(DataAddress.pasvNumbers("Entering Passive Mode (127,0,0,1,4,256)"));
        assertNull(DataAddress.pasvNumbers(""));
        assertNull(DataAddress.fromPasv(reply(227, "Entering Passive Mode (127,0,0,1,0,0)"),
                InetAddress.getLoopbackAddress(), PassiveAddressPolicy.REPLY_ADDRESS), "port 0");
        assertNull(DataAddress.fromPasv(reply(229, "Entering Passive Mode (127,0,0,1,4,1)"),
                InetAddress.getLoopbackAddress(), PassiveAddressPolicy.REPLY_ADDRESS), "not a 227");
    }

    @Test
    void theAddressAndPortAreTheReplysOrTheControlConnectionsAsThePolicySays() throws Exception {
        FtpReply r = reply(227, "Entering Passive Mode (127,0,0,21,117,184).");
        InetAddress control = InetAddress.getByName("127.0.0.9");
        assertEquals(new DataAddress(InetAddress.getByName("127.0.0.21"), 117 * 256 + 184),
                DataAddress.fromPasv(r, control, PassiveAddressPolicy.REPLY_ADDRESS));
        assertEquals(new DataAddress(control, 117 * 256 + 184),
                DataAddress.fromPasv(r, control, PassiveAddressPolicy.CONTROL_ADDRESS));
        assertEquals(InetAddress.getByName("127.0.0.21"), DataAddress.announcedHost(r));
        assertNull(DataAddress.announcedHost(reply(227, "Entering Passive Mode (0,0,0,0,4,1)")));
    }
}
