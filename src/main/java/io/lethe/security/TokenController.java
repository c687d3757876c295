package io.lethe.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Tokens", description = "API tokens and their roles (admin only)")
class TokenController {

    private final TokenService tokens;

    TokenController(TokenService tokens) {
        this.tokens = tokens;
    }

    record CreateToken(
            @NotBlank
                    @Size(max = 128)
                    @Pattern(
                            regexp = "[A-Za-z0-9][A-Za-z0-9._@-]*",
                            message = "letters, digits, '.', '_', '@', '-'")
                    String name,
            @NotEmpty @Size(max = 4) List<@NotNull Role> roles) {}

    @PostMapping(
            path = "/api/v1/tokens",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "createToken",
            summary = "Create a token",
            description = "The answer carries the secret, once; Lethe keeps only its hash.")
    ResponseEntity<TokenView> create(@Valid @RequestBody CreateToken body) {
        TokenView created = tokens.create(body.name(), body.roles());
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.id())).body(created);
    }

    @GetMapping(path = "/api/v1/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listTokens", summary = "List tokens, without secrets")
    TokenList list() {
        return new TokenList(tokens.list());
    }

    /** Every token, without its secret. */
    @Schema(name = "TokenList")
    record TokenList(List<TokenView> items) {}

    @DeleteMapping(path = "/api/v1/tokens/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "revokeToken", summary = "Revoke a token")
    TokenView revoke(@PathVariable String id) {
        return tokens.revoke(id);
    }
}
