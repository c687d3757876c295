package io.lethe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A list filter given blank, or as a space or a tab, is refused as an unknown value is (400 with
 * the field and the values it accepts), never read as "no filter".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BlankFiltersAreRefusedTest {

    @LocalServerPort int port;

    @Test
    void blankEnumFiltersAre400LikeUnknownOnes() {
        Api api = new Api(port);
        for (String path :
                List.of(
                        "/api/v1/operations?state=",
                        "/api/v1/regions?state=",
                        "/api/v1/devices?status=")) {
            String name = path.substring(path.indexOf('?') + 1, path.length() - 1);
            for (String value : List.of("", "%20", "%09", "bogus")) {
                var answer = api.get(path + value);
                assertThat(answer.status()).as(path + value + ": " + answer).isEqualTo(400);
                assertThat(answer.contentType()).startsWith("application/problem+json");
                assertThat(answer.json().at("/errors/0/field").asString()).isEqualTo(name);
                assertThat(answer.json().at("/errors/0/message").asString())
                        .startsWith("must be one of");
            }
        }
        assertThat(api.get("/api/v1/operations?state=succeeded").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/operations").status()).isEqualTo(200);
    }
}
