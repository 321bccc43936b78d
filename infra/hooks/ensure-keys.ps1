# Windows counterpart of ensure-keys.sh: creates the personal-data keys in Key Vault once, never again.
$ErrorActionPreference = 'Stop'
if (-not $env:AZURE_KEY_VAULT_NAME) { throw 'AZURE_KEY_VAULT_NAME is not set; run after azd provision.' }
$names = if ($env:PERSONAL_DATA_SECRET_NAMES) { $env:PERSONAL_DATA_SECRET_NAMES -split ' ' } else { @('personal-data-encryption-key', 'personal-data-index-key') }
foreach ($name in $names) {
    for ($attempt = 1; ; $attempt++) {
        $out = az keyvault secret show --vault-name $env:AZURE_KEY_VAULT_NAME --name $name --query id --output tsv 2>&1 | Out-String
        if ($LASTEXITCODE -eq 0) { Write-Host "Key Vault secret $name exists; left as it is."; break }
        if ($out -match 'SecretNotFound') {
            $key = [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
            az keyvault secret set --vault-name $env:AZURE_KEY_VAULT_NAME --name $name --value $key --output none
            if ($LASTEXITCODE -ne 0) { throw "Could not create Key Vault secret $name." }
            Write-Host "Key Vault secret $name created."
            break
        }
        # Only a clear "not found" may lead to a new key; a fresh role assignment can take minutes to apply.
        if ($out -match 'Forbidden' -and $attempt -lt 10) { Start-Sleep -Seconds 30; continue }
        throw $out
    }
}
