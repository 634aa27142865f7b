package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class JsonTest {

    @Test
    void writes_every_kind_of_value() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\t\u0001");
        m.put("n", 42);
        m.put("big", new BigInteger("18446744073692774399"));
        m.put("nan", Double.NaN);
        m.put("bytes", new byte[] {0, 1, (byte) 0xff});
        m.put("list", List.of(true, false));
        m.put("null", null);
        m.put("nested", Map.of("k", 1));
        assertEquals(
                "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\",\"n\":42,\"big\":18446744073692774399,\"nan\":null,"
                        + "\"bytes\":[0,1,255],\"list\":[true,false],\"null\":null,\"nested\":{\"k\":1}}",
                Json.write(m));
        assertEquals("[]", Json.write(Arrays.asList()));
    }
}
